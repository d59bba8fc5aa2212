package dev.segstream.model.numerics;

import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import dev.segstream.model.nativelib.NativeSwitches;
import java.util.List;

/**
 * Test helper run in a fresh JVM by {@link IsaSwitchTest}: applies the numerics as a host with the
 * oneDNN bug would see them, by reporting the inherited ISA as wrong (and, with argument
 * {@code both}, AVX2 too), while every other check runs for real. Prints {@code choice <setting>}.
 */
public final class ForcedDecisionMain {

    private ForcedDecisionMain() {
    }

    public static void main(String[] args) {
        boolean both = args.length > 0 && args[0].equals("both");
        ConvSelfTest.Report wrong = new ConvSelfTest.Report(1, List.of("8:8:3:1:1 max error 4.38 (forced by the test)"),
                "8:8:3:1:1", 4.38, 0);
        TrainingNumerics.Choice c = TrainingNumerics.ensure(NumericsMode.AUTO,
                List.of(new UNetSpec(UNetVariant.VANILLA, 2, 8, 11)),
                MemoryFormat.AUTO, (env, specs, format) -> env.isEmpty() || both
                        ? new TrainingNumerics.ChildResult(wrong, null)
                        : TrainingNumerics.probeInChild(env, specs, format));
        System.out.println("choice " + c.setting().id());
        System.out.println("onednn enabled " + NativeSwitches.oneDnnEnabled());
    }
}
