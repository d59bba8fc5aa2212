package dev.segstream.model.numerics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import dev.segstream.model.numerics.TrainingNumerics.ChildResult;
import dev.segstream.model.numerics.TrainingNumerics.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TrainingNumericsTest {

    private static final UNetSpec SMALL = new UNetSpec(UNetVariant.VANILLA, 2, 8, 11);
    /** 16 filters: convs that channels-last training may use. */
    private static final UNetSpec SMALL16 = new UNetSpec(UNetVariant.VANILLA, 2, 16, 11);

    private static ChildResult report(boolean correct) {
        return new ChildResult(new ConvSelfTest.Report(5, correct ? List.of() : List.of("8:8:3:1:1 max error 4.38"),
                "8:8:3:1:1", correct ? 1e-6 : 4.38, 0.2), null);
    }

    @Test
    void shouldKeepDefaultIsaWithoutTryingAvx2WhenDefaultIsCorrect() {
        AtomicInteger avx2Runs = new AtomicInteger();
        List<String> notes = new ArrayList<>();
        Setting s = TrainingNumerics.decide(() -> report(true), () -> {
            avx2Runs.incrementAndGet();
            return report(true);
        }, notes);
        assertThat(s).isEqualTo(Setting.DEFAULT);
        assertThat(avx2Runs).hasValue(0);
        assertThat(notes).isEmpty();
    }

    @Test
    void shouldChooseAvx2WhenDefaultIsaGivesWrongGradients() {
        List<String> notes = new ArrayList<>();
        assertThat(TrainingNumerics.decide(() -> report(false), () -> report(true), notes)).isEqualTo(Setting.AVX2);
        assertThat(notes).singleElement().asString().contains("WRONG", "8:8:3:1:1");
    }

    @Test
    void shouldTurnOneDnnOffWhenNoIsaGivesRightGradients() {
        List<String> notes = new ArrayList<>();
        assertThat(TrainingNumerics.decide(() -> report(false), () -> report(false), notes))
                .isEqualTo(Setting.NO_ONEDNN);
        assertThat(notes).hasSize(2);
    }

    @Test
    void shouldLeaveDecisionToInProcessCheckWhenChildCannotRun() {
        List<String> notes = new ArrayList<>();
        assertThat(TrainingNumerics.decide(() -> new ChildResult(null, "child JVM exited 1"), () -> report(true), notes))
                .isEqualTo(Setting.DEFAULT);
        assertThat(notes).singleElement().asString().contains("could not run", "exited 1");
    }

    @Test
    void shouldRunSelfTestInChildJvmWhenAskedWithAnEnvironment() {
        ChildResult inherited = TrainingNumerics.probeInChild(Map.of(), List.of(SMALL16), MemoryFormat.AUTO);
        ChildResult avx2 = TrainingNumerics.probeInChild(TrainingNumerics.AVX2_ENV, List.of(SMALL16),
                MemoryFormat.AUTO);
        assertThat(inherited.error()).isNull();
        // every shape contiguous, and channels-last where training may use it
        Set<ConvShape> shapes = ConvSelfTest.shapesOf(List.of(SMALL16));
        long safe = shapes.stream().filter(MemoryFormat::channelsLastSafe).count();
        assertThat(safe).isPositive();
        assertThat(inherited.report().checked()).isEqualTo(shapes.size() + safe);
        assertThat(avx2.correct()).as(avx2.describe()).isTrue();
    }

    @Test
    void shouldCheckOnlyContiguousKernelsWhenTrainingIsContiguous() {
        ChildResult contiguous = TrainingNumerics.probeInChild(Map.of(), List.of(SMALL16), MemoryFormat.CONTIGUOUS);
        assertThat(contiguous.error()).isNull();
        assertThat(contiguous.report().checked()).isEqualTo(ConvSelfTest.shapesOf(List.of(SMALL16)).size());
    }

    @Test
    void shouldAskChildProbesForTheTrainingsLayoutWhenDeciding() {
        List<MemoryFormat> asked = new ArrayList<>();
        TrainingNumerics.decide((env, specs, format) -> {
            asked.add(format);
            return report(false);
        }, List.of(SMALL16), MemoryFormat.CONTIGUOUS, new ArrayList<>());
        assertThat(asked).containsExactly(MemoryFormat.CONTIGUOUS, MemoryFormat.CONTIGUOUS);
    }

    @Test
    void shouldKeepOneChoiceForTheJvmWhenEnsuredAgain() {
        TrainingNumerics.Choice first = TrainingNumerics.ensure(NumericsMode.AUTO, List.of(SMALL));
        TrainingNumerics.Choice again = TrainingNumerics.ensure(NumericsMode.AUTO,
                List.of(SMALL, new UNetSpec(UNetVariant.ATTENTION, 2, 12, 11)));
        assertThat(TrainingNumerics.current()).contains(again);
        assertThat(again.setting()).isEqualTo(first.setting());
        assertThat(again.detail()).isNotBlank();
    }
}
