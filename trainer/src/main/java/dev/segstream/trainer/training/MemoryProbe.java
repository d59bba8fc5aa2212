package dev.segstream.trainer.training;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Process memory as training sees it: resident set size (JVM heap, native PyTorch tensors and
 * everything else) and the JVM heap in use after a full collection, so that a leak of native
 * arrays shows in the RSS while the heap stays flat.
 */
public final class MemoryProbe {

    /**
     * One reading.
     *
     * @param rssMb  resident set size in MiB, -1 where {@code /proc/self/status} is unavailable
     * @param heapMb JVM heap in use after {@code System.gc()}, in MiB
     */
    public record Sample(long rssMb, long heapMb) {
    }

    private MemoryProbe() {
    }

    /** Collects garbage, then reads heap use and RSS (about 50 ms on a small heap). */
    public static Sample sample() {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        return new Sample(rssMb(), heap);
    }

    /** Resident set size in MiB from {@code /proc/self/status}, -1 when not on Linux. */
    public static long rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not on Linux
        }
        return -1;
    }
}
