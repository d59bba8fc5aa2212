package dev.segstream.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The JSON descriptor stored beside a model's parameters ({@code model.json} in the artifact
 * directory). The segmenter loads exactly what this says.
 *
 * @param format          descriptor format version (currently 1)
 * @param variant         U-Net variant: vanilla, noskip, residual or attention
 * @param version         model version, carried on every mask in {@code model.version}
 * @param depth           number of 2x down-sampling steps
 * @param filters         filters of the first level (doubling per level)
 * @param classes         output classes (CamVid: 11; void is not predicted)
 * @param ignoreIndex     label ignored in loss and metrics (CamVid void: 11)
 * @param mean            per-channel mean subtracted after scaling pixels to [0,1]
 * @param std             per-channel std divided by after that
 * @param inputSizePolicy how sizes are handled; "pad-to-multiple": pad to a multiple of
 *                        2^depth, crop the mask back
 * @param trainingData    fingerprint of the data trained on (name, split, count, hash)
 * @param metrics         evaluation results, e.g. val_miou
 * @param weightsSha256   sha256 of the parameter file, verified on load
 * @param createdAt       ISO-8601 creation time
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelDescriptor(
        @JsonProperty("format") int format,
        @JsonProperty("variant") String variant,
        @JsonProperty("version") String version,
        @JsonProperty("depth") int depth,
        @JsonProperty("filters") int filters,
        @JsonProperty("classes") int classes,
        @JsonProperty("ignore_index") int ignoreIndex,
        @JsonProperty("mean") List<Float> mean,
        @JsonProperty("std") List<Float> std,
        @JsonProperty("input_size_policy") String inputSizePolicy,
        @JsonProperty("training_data") String trainingData,
        @JsonProperty("metrics") Map<String, Double> metrics,
        @JsonProperty("weights_sha256") String weightsSha256,
        @JsonProperty("created_at") String createdAt) {

    /** Current descriptor format. */
    public static final int FORMAT = 1;
    /** The only input size policy so far. */
    public static final String PAD_TO_MULTIPLE = "pad-to-multiple";

    /** Side lengths must be a multiple of this before entering the network. */
    public int sizeMultiple() {
        return 1 << depth;
    }
}
