package dev.segstream.model.nativelib;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The native switches that change which convolution kernels libtorch runs, none of which DJL
 * exposes: the process environment oneDNN reads once when it first dispatches (so it must be set
 * through libc, before libtorch loads: {@link System#getenv()} is a copy), and PyTorch's
 * {@code at::Context::setUserEnabledMkldnn} and {@code setUserEnabledNNPACK}, which can be flipped
 * at any time. Linux only, through JNA and libtorch's exported C++ symbols (libtorch 2.7.1's
 * names; a libtorch without them fails loudly here rather than silently keeping the old kernels).
 */
public final class NativeSwitches {

    private static final Path MAPS = Path.of("/proc/self/maps");

    /** The libc functions used. */
    interface LibC extends Library {
        int setenv(String name, String value, int overwrite);

        String getenv(String name);
    }

    private NativeSwitches() {
    }

    /** Sets a variable in this process's C environment (seen by native code, not by {@link System#getenv}). */
    public static void setenv(String name, String value) {
        if (libc().setenv(name, value, 1) != 0) {
            throw new IllegalStateException("setenv(" + name + ") failed");
        }
    }

    /** A variable of this process's C environment, or {@code null}. */
    public static String getenv(String name) {
        return libc().getenv(name);
    }

    /** Whether libtorch is already mapped into this process (then oneDNN's ISA can no longer change). */
    public static boolean libtorchLoaded() {
        return libtorchPath().isPresent();
    }

    /** Turns PyTorch's use of oneDNN (mkldnn) on or off for every later op in this process. */
    public static void setOneDnnEnabled(boolean enabled) {
        NativeLibrary torch = torch();
        Pointer context = globalContext(torch);
        torch.getFunction("_ZN2at7Context20setUserEnabledMkldnnEb").invokeVoid(new Object[] {context, enabled});
        if (oneDnnEnabled() != enabled) {
            throw new IllegalStateException("libtorch did not take setUserEnabledMkldnn(" + enabled + ")");
        }
    }

    /** Whether PyTorch may use oneDNN (mkldnn) kernels. */
    public static boolean oneDnnEnabled() {
        return contextFlag("_ZNK2at7Context17userEnabledMkldnnEv");
    }

    /**
     * Whether NNPACK initialised on this CPU ({@code at::_nnpack_available}). When it did not,
     * libtorch writes "Could not initialize NNPACK! Reason: ..." to stderr once for this call.
     */
    public static boolean nnpackAvailable() {
        return (torch().getFunction("_ZN2at6native17_nnpack_availableEv").invokeInt(new Object[0]) & 0xff) != 0;
    }

    /** Whether PyTorch may consider NNPACK for a convolution ({@code torch.backends.nnpack.enabled}). */
    public static boolean nnpackEnabled() {
        return contextFlag("_ZNK2at7Context17userEnabledNNPACKEv");
    }

    /** Turns PyTorch's use of NNPACK on or off for every later convolution in this process. */
    public static void setNnpackEnabled(boolean enabled) {
        NativeLibrary torch = torch();
        torch.getFunction("_ZN2at7Context20setUserEnabledNNPACKEb").invokeVoid(new Object[] {globalContext(torch), enabled});
        if (nnpackEnabled() != enabled) {
            throw new IllegalStateException("libtorch did not take setUserEnabledNNPACK(" + enabled + ")");
        }
    }

    private static boolean contextFlag(String getter) {
        NativeLibrary torch = torch();
        // a C++ bool comes back in the low byte of the return register; the rest is undefined
        return (torch.getFunction(getter).invokeInt(new Object[] {globalContext(torch)}) & 0xff) != 0;
    }

    private static Pointer globalContext(NativeLibrary torch) {
        return (Pointer) torch.getFunction("_ZN2at13globalContextEv").invoke(Pointer.class, new Object[0]);
    }

    private static NativeLibrary torch() {
        Path lib = libtorchPath().orElseThrow(() -> new IllegalStateException(
                "libtorch_cpu is not loaded in this process (load the PyTorch engine first)"));
        return NativeLibrary.getInstance(lib.toString());
    }

    /** The path of the loaded {@code libtorch_cpu} (found in the process's memory map: DJL may load it from anywhere). */
    private static Optional<Path> libtorchPath() {
        if (!Files.isReadable(MAPS)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(MAPS)) {
            return lines.map(l -> l.substring(l.indexOf('/') < 0 ? l.length() : l.indexOf('/')))
                    .filter(p -> p.matches(".*/libtorch_cpu[^/]*\\.so[^/]*"))
                    .findFirst().map(Path::of);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static LibC libc() {
        return Native.load("c", LibC.class);
    }
}
