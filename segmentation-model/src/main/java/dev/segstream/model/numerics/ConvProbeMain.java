package dev.segstream.model.numerics;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import java.util.ArrayList;
import java.util.List;

/**
 * The child-process side of the self-test: started by {@link TrainingNumerics} with the candidate
 * environment (e.g. {@code DNNL_MAX_CPU_ISA=AVX2}), because oneDNN fixes its instruction set when
 * libtorch first runs and the parent must choose before that. Arguments: the training's memory
 * format ({@link MemoryFormat#id()}), then U-Net specs as {@code variant:depth:filters:classes};
 * prints one {@link ConvSelfTest.Report} JSON line.
 */
public final class ConvProbeMain {

    private ConvProbeMain() {
    }

    /** Runs the self-test for the specs given as arguments and prints the report. */
    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        MemoryFormat format = MemoryFormat.parse(args[0]);
        List<UNetSpec> specs = new ArrayList<>();
        for (String a : List.of(args).subList(1, args.length)) {
            specs.add(parseSpec(a));
        }
        ConvSelfTest.Report report = ConvSelfTest.run(ConvSelfTest.shapesOf(specs), format);
        System.out.println(new ObjectMapper().writeValueAsString(report));
    }

    /** {@code variant:depth:filters:classes}. */
    static String format(UNetSpec s) {
        return s.variant().id() + ":" + s.depth() + ":" + s.filters() + ":" + s.classes();
    }

    static UNetSpec parseSpec(String s) {
        String[] p = s.split(":");
        if (p.length != 4) {
            throw new IllegalArgumentException("spec must be variant:depth:filters:classes, got '" + s + "'");
        }
        return new UNetSpec(UNetVariant.parse(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
                Integer.parseInt(p[3]));
    }
}
