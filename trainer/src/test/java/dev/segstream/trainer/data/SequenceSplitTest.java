package dev.segstream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segstream.trainer.SharedCamVid;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Validation by held-out sequence: no shared camera drive, deterministic, CamVid's choice stated. */
class SequenceSplitTest {

    private static Set<String> sequences(CamVidData d) {
        Set<String> out = new HashSet<>();
        for (int f = 0; f < d.count(); f++) {
            out.add(d.sequence(f));
        }
        return out;
    }

    @Test
    void shouldReadTheSequenceFromTheFileNamePrefix() {
        assertThat(CamVidData.sequenceOf(Path.of("train/0016E5_07959.png"))).isEqualTo("0016E5");
        assertThat(CamVidData.sequenceOf(Path.of("test/Seq05VD_f00660.png"))).isEqualTo("Seq05VD");
        assertThat(CamVidData.sequenceOf(Path.of("x/frame.png"))).isEqualTo("frame");
    }

    @Test
    void shouldHoldOutTheSequenceClosestInSizeToValWhenChoosing() {
        Map<String, Integer> camvid = Map.of("0016E5", 305, "0001TP", 62, "0006R0", 101);
        assertThat(SequenceSplit.chooseHeldOut(camvid, 101)).isEqualTo("0006R0");
        assertThat(SequenceSplit.chooseHeldOut(camvid, 60)).isEqualTo("0001TP");
        // a tie goes to the first name
        assertThat(SequenceSplit.chooseHeldOut(Map.of("b", 10, "a", 30), 20)).isEqualTo("a");
        assertThatThrownBy(() -> SequenceSplit.chooseHeldOut(Map.of("0016E5", 305), 101))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least two sequences");
    }

    @Test
    void shouldShareNoSequenceBetweenTrainAndSelectionAndRepeatExactlyWhenSplittingCamVid() {
        Path data = SharedCamVid.camvid128x96OrSkip();
        CamVidData train = CamVidData.read(data, "train", 0);
        CamVidData val = CamVidData.read(data, "val", 0);
        // the given split shares a drive: this is what the split by sequence avoids
        assertThat(sequences(train)).containsAll(sequences(val));

        SequenceSplit s = SequenceSplit.of(train, val, 0);
        assertThat(s.heldOut()).containsExactly("0006R0");
        assertThat(sequences(s.selection())).containsExactly("0006R0");
        assertThat(sequences(s.train())).containsExactlyInAnyOrder("0001TP", "0016E5");
        assertThat(s.train().count() + s.selection().count()).isEqualTo(train.count() + val.count());
        assertThat(s.selection().count()).isEqualTo(101);
        assertThat(SequenceSplit.describe(s.train())).isEqualTo("0001TP=62, 0016E5=305");

        SequenceSplit again = SequenceSplit.of(CamVidData.read(data, "train", 0), CamVidData.read(data, "val", 0), 0);
        assertThat(again.train().labels()).isEqualTo(s.train().labels());
        assertThat(again.selection().labels()).isEqualTo(s.selection().labels());
        assertThat(again.train().fingerprint()).isEqualTo(s.train().fingerprint());

        SequenceSplit small = SequenceSplit.of(train, val, 16);
        assertThat(small.train().count()).isEqualTo(16);
        assertThat(small.selection().count()).isEqualTo(16);
        assertThat(sequences(small.selection())).containsExactly("0006R0");
    }

    @Test
    void shouldDrawTheSameSidesEverywhereWhenReadThroughTheValidationSplit() {
        Path data = SharedCamVid.camvid128x96OrSkip();
        SequenceSplit s = SequenceSplit.of(CamVidData.read(data, "train", 0), CamVidData.read(data, "val", 0), 24);
        ValidationSplit.Sides bySequence = ValidationSplit.SEQUENCE.read(data, 24);
        assertThat(bySequence.train().fingerprint()).isEqualTo(s.train().fingerprint());
        assertThat(bySequence.selection().fingerprint()).isEqualTo(s.selection().fingerprint());
        assertThat(bySequence.description()).isEqualTo(
                "split by sequence: train 0001TP=24, selection held out 0006R0=24");
        assertThat(ValidationSplit.SEQUENCE.readTrain(data, 24).fingerprint()).isEqualTo(s.train().fingerprint());
        assertThat(ValidationSplit.SEQUENCE.readSelection(data, 24).fingerprint())
                .isEqualTo(s.selection().fingerprint());

        ValidationSplit.Sides given = ValidationSplit.GIVEN.read(data, 24);
        assertThat(given.train().fingerprint()).isEqualTo(CamVidData.read(data, "train", 24).fingerprint());
        assertThat(given.selection().fingerprint()).isEqualTo(CamVidData.read(data, "val", 24).fingerprint());
        assertThat(given.description()).isEmpty();
        assertThat(ValidationSplit.GIVEN.readTrain(data, 24).fingerprint()).isEqualTo(given.train().fingerprint());
        assertThat(ValidationSplit.GIVEN.readSelection(data, 24).fingerprint())
                .isEqualTo(given.selection().fingerprint());
    }
}
