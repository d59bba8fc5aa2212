package dev.segstream.trainer.training;

import ai.djl.Model;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.ModelDescriptor;
import dev.segstream.model.UNetSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The {@code checkpoint/} folder of a training run: the last epoch's model artifact plus
 * {@code trainer-state.json} (epoch, best mIoU, elapsed time, network shape). A run that finds
 * one resumes after its epoch; one of another network shape is refused.
 */
public final class Checkpoint {

    /** The checkpoint folder inside a run's output folder. */
    public static final String DIR = "checkpoint";
    static final String STATE_FILE = "trainer-state.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a run starts: epoch 1 from scratch, or after the checkpointed epoch. */
    record Start(int epoch, double bestMiou, int bestEpoch, double elapsedBefore) {
    }

    private final Path dir;
    private final TrainerState state;
    private final ModelDescriptor descriptor;

    private Checkpoint(Path dir, TrainerState state, ModelDescriptor descriptor) {
        this.dir = dir;
        this.state = state;
        this.descriptor = descriptor;
    }

    /**
     * Opens {@code out/checkpoint}, which may not exist yet.
     *
     * @throws IllegalArgumentException when it holds a network of another shape than {@code spec}
     */
    static Checkpoint open(Path out, UNetSpec spec) {
        Path dir = out.resolve(DIR);
        TrainerState s = readState(dir);
        if (s == null) {
            return new Checkpoint(dir, null, null);
        }
        if (!s.variant().equals(spec.variant().id()) || s.depth() != spec.depth() || s.filters() != spec.filters()) {
            throw new IllegalArgumentException("--out " + out + " holds a checkpoint of a " + s.variant() + " U-Net (depth "
                    + s.depth() + ", filters " + s.filters() + "), not the requested " + spec.variant() + " (depth "
                    + spec.depth() + ", filters " + spec.filters() + "); choose another --out");
        }
        return new Checkpoint(dir, s, ModelArtifacts.readDescriptor(dir));
    }

    /** The checkpointed model's descriptor (normalisation included), or {@code null} when starting fresh. */
    ModelDescriptor descriptor() {
        return descriptor;
    }

    /** Loads the checkpointed parameters into {@code model} when there are any, and says where to start. */
    Start resume(Model model) {
        if (state == null) {
            return new Start(1, Double.NEGATIVE_INFINITY, 0, 0);
        }
        ModelArtifacts.loadParameters(model, dir, descriptor);
        return new Start(state.epoch() + 1, state.bestMiou(), state.bestEpoch(), state.elapsedSeconds());
    }

    /** Folder of the checkpoint. */
    Path dir() {
        return dir;
    }

    /** Saves the model and then, atomically, the state that points at it. */
    void save(Model model, ModelDescriptor d, TrainerState s) {
        ModelArtifacts.save(dir, model, d);
        try {
            Path tmp = dir.resolve(STATE_FILE + ".tmp");
            JSON.writeValue(tmp.toFile(), s);
            Files.move(tmp, dir.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The state in {@code dir}, or {@code null} when there is none. */
    public static TrainerState readState(Path dir) {
        Path f = dir.resolve(STATE_FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return JSON.readValue(f.toFile(), TrainerState.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read checkpoint state " + f + ": " + e.getMessage(), e);
        }
    }
}
