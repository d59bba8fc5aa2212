package dev.segstream.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segstream.core.data.CamVidClasses;
import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.ImageCodec;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SyntheticRoadCameraTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3, 7, 42, -5, 123456789})
    void shouldOnlyContainCamVidClassesWhenRenderingAnySeed(long seed) {
        SyntheticRoadCamera cam = new SyntheticRoadCamera(seed);
        for (long index : new long[] {0, 1, 17, 500, 100_000}) {
            ClassMask mask = cam.frame(index).mask();
            for (byte b : mask.classes()) {
                assertThat(b & 0xff).isBetween(0, CamVidClasses.COUNT - 1);
            }
        }
    }

    @Test
    void shouldRenderIdenticalBytesWhenSeedAndIndexRepeat() {
        SyntheticRoadCamera.Frame a = new SyntheticRoadCamera(9).frame(33);
        SyntheticRoadCamera.Frame b = new SyntheticRoadCamera(9).frame(33);
        assertThat(a.image().rgb()).isEqualTo(b.image().rgb());
        assertThat(a.mask().classes()).isEqualTo(b.mask().classes());
    }

    @Test
    void shouldRenderDifferentScenesWhenSeedsDiffer() {
        assertThat(new SyntheticRoadCamera(1).frame(0).mask().classes())
                .isNotEqualTo(new SyntheticRoadCamera(2).frame(0).mask().classes());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3, 4, 5, 6, 7})
    void shouldMoveCarsWhenFrameIndexAdvances(long seed) {
        SyntheticRoadCamera cam = new SyntheticRoadCamera(seed);
        for (long index = 0; index < 40; index += 4) {
            Set<Integer> now = pixelsOf(cam.frame(index).mask(), CamVidClasses.CAR);
            Set<Integer> next = pixelsOf(cam.frame(index + 1).mask(), CamVidClasses.CAR);
            assertThat(now).as("car pixels of seed %d frame %d", seed, index).isNotEmpty();
            assertThat(next).as("car pixels of seed %d frame %d vs %d", seed, index + 1, index).isNotEqualTo(now);
        }
    }

    @ParameterizedTest
    @CsvSource({"128,96", "33,17", "241,181", "1,1", "2,3", "17,33", "320,240"})
    void shouldRenderRequestedSizeWhenSizeIsOddOrTiny(int w, int h) {
        SyntheticRoadCamera.Frame f = new SyntheticRoadCamera(4, w, h).frame(12);
        assertThat(f.image().width()).isEqualTo(w);
        assertThat(f.image().height()).isEqualTo(h);
        assertThat(f.image().rgb()).hasSize(w * h * 3);
        assertThat(f.mask().width()).isEqualTo(w);
        assertThat(f.mask().height()).isEqualTo(h);
        for (byte b : f.mask().classes()) {
            assertThat(b & 0xff).isLessThan(CamVidClasses.COUNT);
        }
    }

    @ParameterizedTest
    @CsvSource({"128,96", "241,181", "33,17"})
    void shouldShowSkyRoadBuildingAndCarWhenRenderingDefaultScenes(int w, int h) {
        for (long seed = 0; seed < 12; seed++) {
            SyntheticRoadCamera cam = new SyntheticRoadCamera(seed, w, h);
            for (long index = 0; index < 60; index += 7) {
                Set<Integer> present = classesOf(cam.frame(index).mask());
                assertThat(present).as("classes of seed %d frame %d at %dx%d", seed, index, w, h)
                        .contains(CamVidClasses.SKY, CamVidClasses.ROAD, CamVidClasses.BUILDING, CamVidClasses.CAR);
            }
        }
    }

    @Test
    void shouldShowRoadsideClassesWhenSeveralScenesAreRendered() {
        Set<Integer> seen = new TreeSet<>();
        for (long seed = 0; seed < 8; seed++) {
            for (long index = 0; index < 200; index += 25) {
                seen.addAll(classesOf(new SyntheticRoadCamera(seed, 241, 181).frame(index).mask()));
            }
        }
        assertThat(seen).contains(CamVidClasses.POLE, CamVidClasses.PAVEMENT, CamVidClasses.TREE,
                CamVidClasses.SIGN_SYMBOL, CamVidClasses.FENCE, CamVidClasses.PEDESTRIAN, CamVidClasses.BICYCLIST);
    }

    @Test
    void shouldPaintLaneMarksAsRoadWhenMarksAreBright() {
        SyntheticRoadCamera.Frame f = new SyntheticRoadCamera(3, 241, 181).frame(0);
        int brightRoad = 0;
        byte[] rgb = f.image().rgb();
        for (int i = 0; i < f.mask().classes().length; i++) {
            int r = rgb[3 * i] & 0xff;
            int g = rgb[3 * i + 1] & 0xff;
            if (f.mask().classes()[i] == CamVidClasses.ROAD && r > 190 && g > 190) {
                brightRoad++;
            }
        }
        assertThat(brightRoad).as("lane-mark pixels labelled Road").isPositive();
    }

    @Test
    void shouldRoundTripThroughPngWhenEncoded() {
        SyntheticRoadCamera.Frame f = new SyntheticRoadCamera(5).frame(2);
        assertThat(ImageCodec.decodeMaskPng(ImageCodec.encodeMaskPng(f.mask())).classes())
                .isEqualTo(f.mask().classes());
    }

    @Test
    void shouldRejectSizeWhenNotPositive() {
        assertThatThrownBy(() -> new SyntheticRoadCamera(1, 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyntheticRoadCamera(1).frame(0, 10, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Set<Integer> pixelsOf(ClassMask mask, int cls) {
        Set<Integer> out = new TreeSet<>();
        for (int i = 0; i < mask.classes().length; i++) {
            if (mask.classes()[i] == cls) {
                out.add(i);
            }
        }
        return out;
    }

    private static Set<Integer> classesOf(ClassMask mask) {
        Set<Integer> out = new TreeSet<>();
        for (byte b : mask.classes()) {
            out.add(b & 0xff);
        }
        return out;
    }
}
