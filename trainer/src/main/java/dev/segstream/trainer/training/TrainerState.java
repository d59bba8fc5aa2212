package dev.segstream.trainer.training;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a checkpoint needs beyond the parameters to resume ({@code checkpoint/trainer-state.json}).
 * The optimizer's moment estimates are not kept: a resumed run restarts Adam's statistics.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainerState(
        @JsonProperty("epoch") int epoch,
        @JsonProperty("best_miou") double bestMiou,
        @JsonProperty("best_epoch") int bestEpoch,
        @JsonProperty("elapsed_s") double elapsedSeconds,
        @JsonProperty("variant") String variant,
        @JsonProperty("depth") int depth,
        @JsonProperty("filters") int filters,
        @JsonProperty("seed") long seed) {
}
