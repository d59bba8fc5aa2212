package dev.segstream.model.numerics;

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
 * The two native switches that change which convolution kernels libtorch runs, neither of which
 * DJL exposes: the process environment oneDNN reads once when it first dispatches (so it must be
 * set through libc, before libtorch loads: {@link System#getenv()} is a copy), and PyTorch's
 * {@code at::Context::setUserEnabledMkldnn}, which can be flipped at any time. Linux only.
 */
final class NativeSwitches {

    private static final Path MAPS = Path.of("/proc/self/maps");

    /** The libc functions used. */
    interface LibC extends Library {
        int setenv(String name, String value, int overwrite);

        String getenv(String name);
    }

    private NativeSwitches() {
    }

    /** Sets a variable in this process's C environment (seen by native code, not by {@link System#getenv}). */
    static void setenv(String name, String value) {
        if (libc().setenv(name, value, 1) != 0) {
            throw new IllegalStateException("setenv(" + name + ") failed");
        }
    }

    /** A variable of this process's C environment, or {@code null}. */
    static String getenv(String name) {
        return libc().getenv(name);
    }

    /** Whether libtorch is already mapped into this process (then oneDNN's ISA can no longer change). */
    static boolean libtorchLoaded() {
        return libtorchPath().isPresent();
    }

    /** Turns PyTorch's use of oneDNN (mkldnn) on or off for every later op in this process. */
    static void setOneDnnEnabled(boolean enabled) {
        NativeLibrary torch = torch();
        Pointer context = globalContext(torch);
        torch.getFunction("_ZN2at7Context20setUserEnabledMkldnnEb").invokeVoid(new Object[] {context, enabled});
        if (oneDnnEnabled() != enabled) {
            throw new IllegalStateException("libtorch did not take setUserEnabledMkldnn(" + enabled + ")");
        }
    }

    /** Whether PyTorch may use oneDNN (mkldnn) kernels. */
    static boolean oneDnnEnabled() {
        NativeLibrary torch = torch();
        return (torch.getFunction("_ZNK2at7Context17userEnabledMkldnnEv")
                .invokeInt(new Object[] {globalContext(torch)}) & 0xff) != 0;
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
