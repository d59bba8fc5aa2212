package dev.segstream.ops.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's memory at one moment: Java heap in use right after a full collection, and the
 * resident set size from {@code /proc/self/status} (-1 where there is no procfs).
 *
 * @param heapMb heap used after {@code System.gc()}, MiB
 * @param rssMb  resident set size, MiB
 */
record MemorySample(long heapMb, long rssMb) {

    /** Collects garbage, then samples. */
    static MemorySample now() {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        return new MemorySample(heap, readRssMb());
    }

    private static long readRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
