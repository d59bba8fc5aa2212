package dev.segstream.ops.verify;

import java.util.List;
import java.util.Locale;

/**
 * What {@link EosVerifier} found on the topics after a run.
 *
 * @param sent         distinct frames on the frames topic
 * @param masks        masks on the masks topic
 * @param deadLetters  records on the dead-letter topic
 * @param lost         frames with neither a mask nor a dead letter
 * @param duplicated   outputs beyond the first for a frame
 * @param orphans      outputs whose frame is not on the frames topic
 * @param outOfOrder   masks of a camera that came after a mask of a later frame of that camera
 * @param examples     a few of the offending frame ids, for the failure message
 */
public record EosVerdict(long sent, long masks, long deadLetters, long lost, long duplicated, long orphans,
                         long outOfOrder, List<String> examples) {

    /** Every frame has exactly one output, masks of each camera in frame order, nothing else came out. */
    public boolean passed() {
        return lost == 0 && duplicated == 0 && orphans == 0 && outOfOrder == 0 && masks + deadLetters == sent;
    }

    /** One line: {@code sent=2000 masks=1990 dead_letters=10 lost=0 duplicated=0 orphans=0 out_of_order=0 PASS}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "sent=%d masks=%d dead_letters=%d lost=%d duplicated=%d orphans=%d "
                        + "out_of_order=%d %s%s", sent, masks, deadLetters, lost, duplicated, orphans, outOfOrder,
                passed() ? "PASS" : "FAIL", examples.isEmpty() ? "" : " e.g. " + examples);
    }
}
