package dev.segstream.ops.demo;

import dev.segstream.ops.report.JsonLine;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the auditor saw.
 *
 * @param framesSent     distinct frames on the frames topic
 * @param masksReceived  masks on the masks topic
 * @param deadLetters    records on the dead-letter topic
 * @param missing        frames with neither a mask nor a dead letter yet
 * @param duplicates     extra outputs beyond one per frame
 * @param orphans        outputs whose frame was not seen
 * @param throughputFps  outputs per second from the first frame's capture to the last output
 * @param p50Ms          median frame-to-mask latency (frame.ts to mask consumed)
 * @param p99Ms          99th percentile of the same
 */
public record AuditReport(long framesSent, long masksReceived, long deadLetters, long missing, long duplicates,
                          long orphans, double throughputFps, long p50Ms, long p99Ms) {

    /** Every frame has exactly one output and nothing else came out. */
    public boolean exactlyOnce() {
        return missing == 0 && duplicates == 0 && orphans == 0;
    }

    /** The one-line JSON summary the demo prints last. */
    public String toJson() {
        return toJson(Map.of());
    }

    /** The summary followed by {@code extra} fields (in their order), e.g. what the learning loop did. */
    public String toJson(Map<String, Object> extra) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("frames_sent", framesSent);
        json.put("masks_received", masksReceived);
        json.put("dead_letters", deadLetters);
        json.put("missing", missing);
        json.put("duplicates", duplicates);
        json.put("orphans", orphans);
        json.put("exactly_once", exactlyOnce());
        json.put("throughput_fps", JsonLine.rounded(throughputFps, 2));
        json.put("p50_ms", p50Ms);
        json.put("p99_ms", p99Ms);
        json.putAll(extra);
        return JsonLine.of(json);
    }

    /** The live status line. */
    public String statusLine(long elapsedSeconds) {
        return String.format(Locale.ROOT, "[%4ds] sent=%d masks=%d dlq=%d pending=%d fps=%.1f p50=%dms p99=%dms",
                elapsedSeconds, framesSent, masksReceived, deadLetters, missing, throughputFps, p50Ms, p99Ms);
    }
}
