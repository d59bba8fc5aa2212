package dev.segstream.model;

import ai.djl.Device;
import java.util.Locale;

/** Parses segstream device strings: {@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}. */
public final class Devices {

    private Devices() {
    }

    /**
     * The DJL device a string names.
     *
     * @param spec {@code auto} (a GPU when DJL sees one, else the CPU), {@code cpu}, {@code gpu}
     *             (GPU 0) or {@code gpu:N}; {@code null} or blank means {@code auto}
     * @throws IllegalArgumentException for anything else, or a GPU that DJL does not see
     */
    public static Device parse(String spec) {
        int id = gpuIndex(spec);
        if (id == AUTO) {
            return PyTorch.engine().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (id == CPU) {
            return Device.cpu();
        }
        int gpus = PyTorch.engine().getGpuCount();
        if (id >= gpus) {
            throw new IllegalArgumentException("device '" + spec + "' requested but DJL sees " + gpus + " GPU(s)");
        }
        return Device.gpu(id);
    }

    /**
     * Checks the syntax of a device string without loading the engine (for setting validation).
     *
     * @throws IllegalArgumentException when it is none of {@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}
     */
    public static void validate(String spec) {
        gpuIndex(spec);
    }

    private static final int AUTO = -1;
    private static final int CPU = -2;

    /** The GPU index a device string names, or {@link #AUTO} / {@link #CPU}. */
    private static int gpuIndex(String spec) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("auto")) {
            return AUTO;
        }
        if (s.equals("cpu")) {
            return CPU;
        }
        int id;
        if (s.equals("gpu")) {
            id = 0;
        } else if (s.startsWith("gpu:")) {
            try {
                id = Integer.parseInt(s.substring(4));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(bad(spec));
            }
            if (id < 0) {
                throw new IllegalArgumentException(bad(spec));
            }
        } else {
            throw new IllegalArgumentException(bad(spec));
        }
        return id;
    }

    private static String bad(String spec) {
        return "invalid device '" + spec + "'; expected auto, cpu, gpu or gpu:N";
    }
}
