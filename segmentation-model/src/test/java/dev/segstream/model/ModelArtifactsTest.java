package dev.segstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.RgbImage;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArtifactsTest {

    @TempDir
    Path dir;

    private ModelDescriptor saveUntrained(UNetSpec spec) {
        PyTorch.seed(11);
        try (Model model = ModelArtifacts.newModel(spec, ai.djl.Device.cpu())) {
            ModelDescriptor d = ModelArtifacts.descriptor(spec, "v-test", List.of(0.4f, 0.4f, 0.4f),
                    List.of(0.3f, 0.3f, 0.3f), "unit-test", Map.of("val_miou", 0.25));
            return ModelArtifacts.save(dir, model, d);
        }
    }

    @Test
    void shouldPredictIdenticalMasksWhenArtifactIsSavedAndLoaded() {
        UNetSpec spec = new UNetSpec(UNetVariant.RESIDUAL, 3, 4, 11);
        List<RgbImage> frames = PredictorTest.batch(2, 50, 30);
        PyTorch.seed(5);
        List<ClassMask> before;
        ModelDescriptor saved;
        try (Model model = ModelArtifacts.newModel(spec, ai.djl.Device.cpu())) {
            ModelDescriptor d = ModelArtifacts.descriptor(spec, "v1", ModelArtifacts.DEFAULT_MEAN,
                    ModelArtifacts.DEFAULT_STD, "unit-test", Map.of("val_miou", 0.5));
            try (MaskPredictor p = new DjlMaskPredictor(model.newPredictor(SegmentationTranslator.of(d)))) {
                before = p.predict(frames);
            }
            saved = ModelArtifacts.save(dir, model, d);
        }
        assertThat(saved.weightsSha256()).hasSize(64).isEqualTo(ModelArtifacts.sha256(dir.resolve(ModelArtifacts.PARAMS_FILE)));
        assertThat(ModelArtifacts.readDescriptor(dir)).isEqualTo(saved);
        try (SegmentationModel loaded = ModelArtifacts.load(dir, "cpu"); MaskPredictor p = loaded.newPredictor()) {
            List<ClassMask> after = p.predict(frames);
            for (int i = 0; i < frames.size(); i++) {
                assertThat(after.get(i).classes()).isEqualTo(before.get(i).classes());
            }
            assertThat(loaded.descriptor().version()).isEqualTo("v1");
            assertThat(loaded.descriptor().metrics()).containsEntry("val_miou", 0.5);
        }
    }

    @Test
    void shouldWriteSnakeCaseJsonWhenSaving() throws Exception {
        saveUntrained(new UNetSpec(UNetVariant.VANILLA, 2, 4, 11));
        String json = Files.readString(dir.resolve(ModelArtifacts.DESCRIPTOR_FILE));
        assertThat(json).contains("\"weights_sha256\"", "\"ignore_index\" : 11", "\"input_size_policy\" : \"pad-to-multiple\"",
                "\"variant\" : \"vanilla\"");
    }

    /** Sets value 0 of the named parameter (first match) to {@code value} in {@code model}. */
    private static void poison(Model model, String nameSuffix, float value) {
        ai.djl.nn.Parameter p = model.getBlock().getParameters().stream()
                .filter(e -> e.getKey().endsWith(nameSuffix)).findFirst().orElseThrow().getValue();
        float[] v = p.getArray().toFloatArray();
        v[0] = value;
        p.getArray().set(v);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"weight,NaN", "runningVar,Infinity", "runningMean,NaN"})
    void shouldRefuseToLoadWhenAParameterIsNotFiniteThoughItsShaMatches(String parameter, float value)
            throws Exception {
        UNetSpec spec = new UNetSpec(UNetVariant.VANILLA, 2, 4, 11);
        ModelDescriptor d = saveUntrained(spec);
        try (Model model = ModelArtifacts.newModel(spec, ai.djl.Device.cpu())) {
            poison(model, parameter, value);
            // written behind ModelArtifacts' back, with a matching sha256, as a buggy or hostile writer would
            model.setProperty("Epoch", "0");
            model.save(dir, ModelArtifacts.PARAMS_PREFIX);
        }
        String sha = ModelArtifacts.sha256(dir.resolve(ModelArtifacts.PARAMS_FILE));
        Path json = dir.resolve(ModelArtifacts.DESCRIPTOR_FILE);
        Files.writeString(json, Files.readString(json).replace(d.weightsSha256(), sha));

        assertThatThrownBy(() -> ModelArtifacts.load(dir, "cpu"))
                .isInstanceOf(ModelArtifactException.class)
                .hasMessageContaining("non-finite parameters")
                .hasMessageContaining(parameter)
                .hasMessageContaining("refusing to load");
    }

    @Test
    void shouldRefuseToWriteWhenAParameterIsNotFinite() {
        UNetSpec spec = new UNetSpec(UNetVariant.RESIDUAL, 2, 4, 11);
        Path target = dir.resolve("nan-model");
        try (Model model = ModelArtifacts.newModel(spec, ai.djl.Device.cpu())) {
            poison(model, "weight", Float.NaN);
            ModelDescriptor d = ModelArtifacts.descriptor(spec, "v-nan", ModelArtifacts.DEFAULT_MEAN,
                    ModelArtifacts.DEFAULT_STD, "unit-test", Map.of());
            assertThatThrownBy(() -> ModelArtifacts.save(target, model, d))
                    .isInstanceOf(ModelArtifactException.class)
                    .hasMessageContaining("refusing to write model v-nan")
                    .hasMessageContaining("non-finite");
        }
        assertThat(target).doesNotExist();
    }

    @Test
    void shouldRefuseToLoadWhenParameterFileIsCorrupt() throws Exception {
        saveUntrained(new UNetSpec(UNetVariant.ATTENTION, 2, 4, 11));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(ModelArtifacts.PARAMS_FILE).toFile(), "rw")) {
            f.seek(f.length() - 3);
            int b = f.read();
            f.seek(f.length() - 3);
            f.write(b ^ 0xff);
        }
        assertThatThrownBy(() -> ModelArtifacts.load(dir, "cpu"))
                .isInstanceOf(ModelArtifactException.class).hasMessageContaining("sha256");
    }

    @Test
    void shouldFailClearlyWhenArtifactIsMissingOrIncomplete() throws Exception {
        assertThatThrownBy(() -> ModelArtifacts.load(dir.resolve("nope"), "cpu"))
                .isInstanceOf(ModelArtifactException.class).hasMessageContaining("no model artifact");
        assertThatThrownBy(() -> ModelArtifacts.load(dir, "cpu"))
                .isInstanceOf(ModelArtifactException.class).hasMessageContaining("model.json");
        saveUntrained(new UNetSpec(UNetVariant.NOSKIP, 2, 4, 11));
        Files.delete(dir.resolve(ModelArtifacts.PARAMS_FILE));
        assertThatThrownBy(() -> ModelArtifacts.load(dir, "cpu"))
                .isInstanceOf(ModelArtifactException.class).hasMessageContaining("parameter file");
        Files.writeString(dir.resolve(ModelArtifacts.DESCRIPTOR_FILE), "{ not json");
        assertThatThrownBy(() -> ModelArtifacts.readDescriptor(dir))
                .isInstanceOf(ModelArtifactException.class).hasMessageContaining("corrupt descriptor");
    }

    @Test
    void shouldFailClearlyWhenDescriptorDisagreesWithParameters() throws Exception {
        ModelDescriptor d = saveUntrained(new UNetSpec(UNetVariant.VANILLA, 2, 4, 11));
        String json = Files.readString(dir.resolve(ModelArtifacts.DESCRIPTOR_FILE))
                .replace("\"filters\" : 4", "\"filters\" : 8");
        Files.writeString(dir.resolve(ModelArtifacts.DESCRIPTOR_FILE), json);
        assertThat(ModelArtifacts.readDescriptor(dir).filters()).isEqualTo(8);
        assertThatThrownBy(() -> ModelArtifacts.load(dir, "cpu"))
                .isInstanceOf(ModelArtifactException.class).hasMessageContaining("cannot load parameters");
        assertThat(d.weightsSha256()).isNotBlank();
    }
}
