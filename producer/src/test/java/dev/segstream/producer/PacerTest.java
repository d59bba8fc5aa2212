package dev.segstream.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {

    /** A fake clock whose sleeps overshoot by a fixed amount, like a real scheduler. */
    private static final class FakeTime {
        long now = 1_000;
        long overshoot;
        final List<Long> wakeups = new ArrayList<>();

        boolean sleep(long nanos) {
            now += nanos + overshoot;
            wakeups.add(now);
            return true;
        }
    }

    @Test
    void shouldKeepAbsoluteDeadlinesWhenSleepsOvershoot() throws InterruptedException {
        FakeTime t = new FakeTime();
        t.overshoot = 300;
        Pacer pacer = new Pacer(() -> t.now, t::sleep, 1_000_000);
        for (int k = 0; k < 100; k++) {
            assertThat(pacer.await(10_000)).isTrue();
            t.now += 2_000;
        }
        assertThat(pacer.deadline()).isEqualTo(1_000 + 99 * 10_000L);
        assertThat(t.now - pacer.deadline()).isEqualTo(2_000 + 300);
    }

    @Test
    void shouldNotSleepWhenBehindButWithinLag() throws InterruptedException {
        FakeTime t = new FakeTime();
        Pacer pacer = new Pacer(() -> t.now, t::sleep, 1_000_000);
        pacer.await(10_000);
        t.now += 25_000;
        pacer.await(10_000);
        pacer.await(10_000);
        assertThat(t.wakeups).isEmpty();
        pacer.await(10_000);
        assertThat(t.wakeups).containsExactly(1_000 + 30_000L);
    }

    @Test
    void shouldResynchroniseWhenFarBehind() throws InterruptedException {
        FakeTime t = new FakeTime();
        Pacer pacer = new Pacer(() -> t.now, t::sleep, 50_000);
        pacer.await(10_000);
        t.now += 500_000;
        pacer.await(10_000);
        assertThat(pacer.deadline()).isEqualTo(t.now);
        pacer.await(10_000);
        assertThat(t.wakeups).containsExactly(1_000 + 500_000 + 10_000L);
    }

    @Test
    void shouldReturnFalseWhenSleeperIsStopped() throws InterruptedException {
        long[] now = {0};
        Pacer pacer = new Pacer(() -> now[0], n -> false, 1_000_000);
        assertThat(pacer.await(10)).isTrue();
        assertThat(pacer.await(10)).isFalse();
    }
}
