package dev.segstream.trainer.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import dev.segstream.model.numerics.MemoryFormat;

/** Child JVM of {@link StepRunnerLayoutTest}: two training steps of a small U-Net in the given layout. */
public final class LayoutStepsMain {

    private LayoutStepsMain() {
    }

    public static void main(String[] args) {
        MemoryFormat format = MemoryFormat.parse(args[0]);
        UNetSpec spec = new UNetSpec(UNetVariant.VANILLA, 2, 16, CamVidClasses.COUNT);
        try (Model model = ModelArtifacts.newModel(spec, Device.cpu());
             StepRunner runner = new StepRunner(model, new MaskedCrossEntropy(CamVidClasses.VOID, null), 1e-3f, 0f,
                     10, format, Device.cpu())) {
            for (int s = 0; s < 2; s++) {
                try (NDManager m = runner.manager().newSubManager()) {
                    runner.step(m.randomNormal(new Shape(2, 3, 32, 32)),
                            m.randomInteger(0, CamVidClasses.COUNT, new Shape(2, 32, 32), DataType.INT64), null);
                }
            }
        }
        System.out.println("steps done");
    }
}
