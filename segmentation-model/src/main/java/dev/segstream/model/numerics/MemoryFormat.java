package dev.segstream.model.numerics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.segstream.core.config.SettingValue;
import dev.segstream.model.UNetBase;
import java.util.Collection;
import java.util.Optional;

/**
 * How a training batch is laid out in memory (setting {@code memory.format}): the tensor keeps its
 * logical {@code (N, C, H, W)} shape either way, only the strides differ.
 *
 * <p>Why: libtorch keeps the layout of a convolution's input through every op that follows
 * (BatchNorm, ReLU, pooling, upsampling, concatenation) and their gradients. Given the usual
 * contiguous NCHW, oneDNN reorders every activation into its blocked layout and back around each
 * convolution, forward and backward; given channels-last (NHWC strides), its kernels read and
 * write the tensors as they are. A whole training step of the default U-Net on a CPU is about 20 %
 * faster channels-last (trainer README, "Speed against PyTorch eager"). Inference is faster
 * contiguous here, so only training steps change layout.
 *
 * <p>Not for every net: oneDNN 3.7.1's channels-last kernels corrupted the native heap (glibc
 * "double free or corruption", the JVM aborted) computing the input gradient of a stride-2 1x1
 * convolution from 8 channels ({@code brgconv_strided} backward-data, on this AVX-512 host and
 * with oneDNN capped at AVX2 alike). A net is trained channels-last only when every convolution
 * whose input gradient is computed has a multiple of 16 input channels and a multiple of 16
 * output channels, or is a 1x1 stride-1 head ({@link #channelsLastSafe}): the default 16-filter
 * vanilla, no-skip and residual nets; the attention gates' 8-channel convs keep theirs contiguous.
 */
public enum MemoryFormat implements SettingValue {
    /**
     * Channels-last on a CPU when every conv of the net is {@link #channelsLastSafe}, else
     * contiguous; the batch as it is on a GPU (not measured there).
     */
    AUTO("auto"),
    /** NHWC strides under the NCHW shape (PyTorch's {@code torch.channels_last}). */
    CHANNELS_LAST("channels-last"),
    /** The batch as made: contiguous NCHW. */
    CONTIGUOUS("contiguous");

    private final String id;

    MemoryFormat(String id) {
        this.id = id;
    }

    /** The setting's value. */
    @Override
    public String id() {
        return id;
    }

    /**
     * The concrete format for a net with convolutions {@code shapes} on {@code device}.
     *
     * @throws IllegalArgumentException when channels-last is asked for on a CPU and a conv is not
     *                                  {@link #channelsLastSafe}
     */
    public MemoryFormat resolve(Device device, Collection<ConvShape> shapes) {
        boolean cpu = Device.Type.CPU.equals(device.getDeviceType());
        Optional<ConvShape> unsafe = cpu ? firstUnsafe(shapes) : Optional.empty();
        return switch (this) {
            case CONTIGUOUS -> CONTIGUOUS;
            case AUTO -> cpu && unsafe.isEmpty() ? CHANNELS_LAST : CONTIGUOUS;
            case CHANNELS_LAST -> {
                if (unsafe.isPresent()) {
                    throw new IllegalArgumentException("memory.format=channels-last: conv " + unsafe.get()
                            + " (in:out:kernel:stride:padding) needs multiples of 16 channels for oneDNN's "
                            + "channels-last kernels, which corrupted memory otherwise; use auto or contiguous");
                }
                yield CHANNELS_LAST;
            }
        };
    }

    /**
     * Whether oneDNN's channels-last kernels are trusted with {@code s}: multiples of 16 input and
     * output channels, or a 1x1 stride-1 conv (a class head) from a multiple of 16 channels.
     */
    public static boolean channelsLastSafe(ConvShape s) {
        return s.in() % 16 == 0 && (s.out() % 16 == 0 || (s.kernel() == 1 && s.stride() == 1));
    }

    /** The first conv that is not safe, skipping the net's input conv (its input gradient is never computed). */
    private static Optional<ConvShape> firstUnsafe(Collection<ConvShape> shapes) {
        return shapes.stream().filter(s -> s.in() != UNetBase.IN_CHANNELS && !channelsLastSafe(s)).findFirst();
    }

    /**
     * {@code x} (rank 4) in this format, on {@code x}'s manager; {@code x} itself when it needs no
     * change. Differentiable: gradients flow back to {@code x} in its own layout.
     */
    public NDArray apply(NDArray x) {
        return switch (this) {
            case CHANNELS_LAST -> channelsLast(x);
            case CONTIGUOUS, AUTO -> x;
        };
    }

    /**
     * A channels-last copy: permuted to NHWC, flattened (the one copy, since a permuted tensor
     * cannot be viewed flat), viewed as NHWC and permuted back to the NCHW shape. DJL has no
     * memory-format call; this is what {@code x.contiguous(memory_format=channels_last)} does.
     */
    static NDArray channelsLast(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("channels-last needs an (N, C, H, W) tensor, got " + s);
        }
        return x.transpose(0, 2, 3, 1).reshape(s.get(0), -1).reshape(s.get(0), s.get(2), s.get(3), s.get(1))
                .transpose(0, 3, 1, 2);
    }

    /** Parses a setting value, case-insensitively. */
    public static MemoryFormat parse(String s) {
        return SettingValue.parse(MemoryFormat.class, "memory.format", s);
    }

    /** The valid values, comma-separated. */
    public static String validNames() {
        return SettingValue.validNames(MemoryFormat.class);
    }
}
