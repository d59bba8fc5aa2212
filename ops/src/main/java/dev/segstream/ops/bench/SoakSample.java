package dev.segstream.ops.bench;

import dev.segstream.core.metrics.ProcessMeters;
import dev.segstream.ops.report.JsonLine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One sample of the soak: the pipeline's progress and the process's memory.
 *
 * <p>{@code liveHeapMib} is the heap in use right after {@code System.gc()}: what is reachable,
 * free of the sawtooth of garbage waiting for the next collection, so a leak of Java objects shows
 * as a rising line. {@code nativeMib} is RSS minus what the JVM has committed (heap and non-heap:
 * metaspace, code cache); it is mostly PyTorch's and the allocator's memory, plus thread stacks and
 * GC structures. Committed heap pages never touched are not resident, so the figure can be low by
 * up to that much; what the soak judges is its slope, not its level.
 */
public record SoakSample(double minute, long sent, long masks, long deadLetters, long liveHeapMib,
                         long heapCommittedMib, long nonHeapCommittedMib, long rssMib, long nativeMib,
                         int threads, long rounds, long versions, long swaps) {

    /** The pipeline's counters at the time of a sample. */
    public record Progress(long sent, long masks, long deadLetters, long rounds, long versions, long swaps) {
    }

    /** Collects garbage (a full, stop-the-world collection of about 0.1 s, once a sample) and reads memory. */
    public static SoakSample take(double minute, Progress p) {
        System.gc();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long heapUsed = memory.getHeapMemoryUsage().getUsed() >> 20;
        long heapCommitted = memory.getHeapMemoryUsage().getCommitted() >> 20;
        long nonHeapCommitted = memory.getNonHeapMemoryUsage().getCommitted() >> 20;
        long rss = (long) ProcessMeters.residentBytes() >> 20; // NaN (not Linux) reads as 0
        return new SoakSample(minute, p.sent(), p.masks(), p.deadLetters(), heapUsed, heapCommitted,
                nonHeapCommitted, rss, rss - heapCommitted - nonHeapCommitted,
                ManagementFactory.getThreadMXBean().getThreadCount(), p.rounds(), p.versions(), p.swaps());
    }

    /** The line printed each minute. */
    public String line() {
        return String.format(Locale.ROOT, "min %6.2f  sent %d masks %d dlq %d | heap live %d committed %d "
                        + "non-heap %d | rss %d native %d MiB | threads %d | trainer rounds %d versions %d swaps %d",
                minute, sent, masks, deadLetters, liveHeapMib, heapCommittedMib, nonHeapCommittedMib, rssMib,
                nativeMib, threads, rounds, versions, swaps);
    }

    /** The sample as one JSON line of the report. */
    public String json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "sample");
        m.put("minute", JsonLine.rounded(minute, 2));
        m.put("sent", sent);
        m.put("masks", masks);
        m.put("dead_letters", deadLetters);
        m.put("heap_live_mib", liveHeapMib);
        m.put("heap_committed_mib", heapCommittedMib);
        m.put("non_heap_committed_mib", nonHeapCommittedMib);
        m.put("rss_mib", rssMib);
        m.put("native_mib", nativeMib);
        m.put("threads", threads);
        m.put("trainer_rounds", rounds);
        m.put("trainer_versions", versions);
        m.put("segmenter_swaps", swaps);
        return JsonLine.of(m);
    }
}
