package dev.segstream.model.numerics;

import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Applies the product's training numerics once per test JVM, before any test loads libtorch, so
 * every test trains under the setting a user's run would pick on this host (the cheap AVX2 fix is
 * only possible before the engine loads). Registered through {@code META-INF/services} and shipped
 * to the other modules in this module's test jar. {@code -Dsegstream.numerics=default} runs the
 * suite on the raw kernels instead: on a host with the oneDNN bug the gradient tests then fail.
 */
public final class NumericsTestSession implements LauncherSessionListener {

    /** System property naming the {@link NumericsMode} for the test JVM. */
    public static final String PROPERTY = "segstream.numerics";

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        List<UNetSpec> specs = new ArrayList<>();
        for (UNetVariant v : UNetVariant.values()) {
            for (int filters : new int[] {4, 8}) {
                specs.add(new UNetSpec(v, 3, filters, 11));
            }
        }
        TrainingNumerics.ensure(NumericsMode.parse(System.getProperty(PROPERTY, NumericsMode.AUTO.id())), specs);
    }
}
