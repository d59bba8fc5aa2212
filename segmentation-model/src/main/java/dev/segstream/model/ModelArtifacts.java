package dev.segstream.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.segstream.core.data.CamVidClasses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model artifact directories: DJL parameters ({@value #PARAMS_FILE}) plus the JSON descriptor
 * ({@value #DESCRIPTOR_FILE}) carrying the parameter file's sha256.
 */
public final class ModelArtifacts {

    /** Descriptor file name. */
    public static final String DESCRIPTOR_FILE = "model.json";
    /** Prefix DJL names the parameter file with. */
    public static final String PARAMS_PREFIX = "unet";
    /** The parameter file (DJL's {@code <prefix>-<epoch>.params}, epoch pinned to 0). */
    public static final String PARAMS_FILE = PARAMS_PREFIX + "-0000.params";
    /** CamVid-like per-channel mean used when nothing better is known. */
    public static final List<Float> DEFAULT_MEAN = List.of(0.39f, 0.41f, 0.43f);
    /** CamVid-like per-channel std used when nothing better is known. */
    public static final List<Float> DEFAULT_STD = List.of(0.30f, 0.31f, 0.30f);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelArtifacts() {
    }

    /** Number of trainable scalars in the model's parameters (BatchNorm running statistics excluded). */
    public static long parameterCount(Model model) {
        long n = 0;
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            if (p.getValue().requiresGradient()) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }

    /**
     * A new DJL model holding an initialised {@code spec} block on {@code device}: He-normal conv
     * weights drawn from the engine's RNG (seed it first for reproducibility), BN at identity.
     */
    public static Model newModel(UNetSpec spec, Device device) {
        Model model = PyTorch.engine().newModel("segstream-" + spec.variant().id(), device);
        try {
            UNetBase block = UNetFactory.create(spec);
            block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                    XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
            model.setBlock(block);
            int m = spec.sizeMultiple();
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, UNetBase.IN_CHANNELS, m, m));
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** A descriptor for a fresh model of {@code spec}: no sha yet, created now. */
    public static ModelDescriptor descriptor(UNetSpec spec, String version, List<Float> mean, List<Float> std,
                                             String trainingData, Map<String, Double> metrics) {
        return new ModelDescriptor(ModelDescriptor.FORMAT, spec.variant().id(), version, spec.depth(), spec.filters(),
                spec.classes(), CamVidClasses.VOID, List.copyOf(mean), List.copyOf(std),
                ModelDescriptor.PAD_TO_MULTIPLE, trainingData, metrics == null ? Map.of() : Map.copyOf(metrics),
                null, Instant.now().toString());
    }

    /**
     * Writes {@code model}'s parameters and the descriptor into {@code dir} (created if needed;
     * an older artifact there is replaced; the descriptor is written last, atomically).
     *
     * @return {@code d} with {@code weights_sha256} (and {@code created_at} when absent) filled in
     */
    public static ModelDescriptor save(Path dir, Model model, ModelDescriptor d) {
        List<String> nonFinite = FiniteParameters.nonFinite(model.getBlock());
        if (!nonFinite.isEmpty()) {
            throw new ModelArtifactException("refusing to write model " + d.version() + " to " + dir
                    + ": non-finite parameters " + FiniteParameters.describe(nonFinite));
        }
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, PARAMS_PREFIX + "-*.params")) {
                for (Path p : old) {
                    Files.delete(p);
                }
            }
            model.setProperty("Epoch", "0");
            model.save(dir, PARAMS_PREFIX);
            Path params = dir.resolve(PARAMS_FILE);
            if (!Files.isRegularFile(params)) {
                throw new IOException("DJL did not write " + params);
            }
            ModelDescriptor out = new ModelDescriptor(d.format(), d.variant(), d.version(), d.depth(), d.filters(),
                    d.classes(), d.ignoreIndex(), d.mean(), d.std(),
                    d.inputSizePolicy() == null ? ModelDescriptor.PAD_TO_MULTIPLE : d.inputSizePolicy(),
                    d.trainingData(), d.metrics(), sha256(params),
                    d.createdAt() == null ? Instant.now().toString() : d.createdAt());
            Path tmp = dir.resolve(DESCRIPTOR_FILE + ".tmp");
            JSON.writeValue(tmp.toFile(), out);
            Files.move(tmp, dir.resolve(DESCRIPTOR_FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save model artifact to " + dir, e);
        }
    }

    /**
     * Reads {@code dir/model.json}.
     *
     * @throws ModelArtifactException when it is missing or not a valid descriptor
     */
    public static ModelDescriptor readDescriptor(Path dir) {
        Path file = dir.resolve(DESCRIPTOR_FILE);
        if (!Files.isDirectory(dir)) {
            throw new ModelArtifactException("no model artifact directory at " + dir);
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelArtifactException("not a model artifact: " + file + " is missing");
        }
        ModelDescriptor d;
        try {
            d = JSON.readValue(file.toFile(), ModelDescriptor.class);
        } catch (JsonProcessingException e) {
            throw new ModelArtifactException("corrupt descriptor " + file + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelArtifactException("cannot read descriptor " + file + ": " + e.getMessage(), e);
        }
        if (d.format() != ModelDescriptor.FORMAT) {
            throw new ModelArtifactException("descriptor " + file + " has format " + d.format()
                    + ", this build reads format " + ModelDescriptor.FORMAT);
        }
        try {
            UNetSpec.of(d);
            SegmentationTranslator.of(d);
        } catch (IllegalArgumentException e) {
            throw new ModelArtifactException("invalid descriptor " + file + ": " + e.getMessage(), e);
        }
        return d;
    }

    /**
     * Loads an artifact onto a device.
     *
     * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
     * @throws ModelArtifactException when the artifact is missing, incomplete, corrupt or its
     *                                parameters do not match its descriptor
     */
    public static SegmentationModel load(Path dir, String device) {
        ModelDescriptor d = readDescriptor(dir);
        Model model = PyTorch.engine().newModel("segstream-" + d.variant(), Devices.parse(device));
        try {
            UNetBase block = UNetFactory.create(UNetSpec.of(d));
            model.setBlock(block);
            int m = d.sizeMultiple();
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, UNetBase.IN_CHANNELS, m, m));
            loadParameters(model, dir, d);
            return new DjlSegmentationModel(model, d);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Replaces the parameters of {@code model} (an initialised block matching {@code d}, e.g. from
     * {@link #newModel}) with those stored in {@code dir}, after checking the sha256, that every
     * parameter keeps its shape and that every value is finite. Used to resume training from a
     * checkpoint.
     *
     * @throws ModelArtifactException when the parameters are missing, corrupt, do not fit or hold
     *                                NaN or infinite values
     */
    public static void loadParameters(Model model, Path dir, ModelDescriptor d) {
        Path params = dir.resolve(PARAMS_FILE);
        if (!Files.isRegularFile(params)) {
            throw new ModelArtifactException("incomplete model artifact: parameter file " + params + " is missing");
        }
        String actual = sha256(params);
        if (d.weightsSha256() == null || !d.weightsSha256().equalsIgnoreCase(actual)) {
            throw new ModelArtifactException("parameter file " + params + " has sha256 " + actual
                    + " but the descriptor says " + d.weightsSha256() + " (corrupt or replaced artifact)");
        }
        try {
            Map<String, Shape> expected = new LinkedHashMap<>();
            model.getBlock().getParameters()
                    .forEach(p -> expected.put(p.getKey(), p.getValue().getArray().getShape()));
            model.load(dir, PARAMS_PREFIX);
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                Shape want = expected.get(p.getKey());
                Shape got = p.getValue().getArray().getShape();
                if (!got.equals(want)) {
                    throw new MalformedModelException("parameter " + p.getKey() + " has shape " + got
                            + " where the descriptor implies " + want);
                }
            }
            List<String> nonFinite = FiniteParameters.nonFinite(model.getBlock());
            if (!nonFinite.isEmpty()) {
                throw new ModelArtifactException("model artifact " + dir + " (" + d.version()
                        + ") has non-finite parameters " + FiniteParameters.describe(nonFinite)
                        + "; refusing to load it");
            }
        } catch (ModelArtifactException e) {
            throw e;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new ModelArtifactException("cannot load parameters " + params + " as a " + d.variant()
                    + " U-Net (depth " + d.depth() + ", filters " + d.filters() + ", classes " + d.classes() + "): "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
    }

    /**
     * A randomly initialised model (seeded, so two calls with one seed give identical masks),
     * the default when no trained artifact is configured. Masks from it are meaningless but have
     * the right shape, classes and cost.
     */
    public static SegmentationModel untrained(UNetSpec spec, long seed, String version, String device) {
        Device dev = Devices.parse(device);
        Model model;
        synchronized (ModelArtifacts.class) {
            PyTorch.seed(seed);
            model = newModel(spec, dev);
        }
        ModelDescriptor d = descriptor(spec, version, DEFAULT_MEAN, DEFAULT_STD,
                "none (untrained, seed " + seed + ")", Map.of());
        return new DjlSegmentationModel(model, d);
    }

    /** Hex sha256 of a file. */
    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // digesting
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
