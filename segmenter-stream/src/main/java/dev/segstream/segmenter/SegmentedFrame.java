package dev.segstream.segmenter;

import dev.segstream.core.wire.ClassMask;
import dev.segstream.model.ModelDescriptor;

/**
 * A frame's mask and the model version that computed it (after a hot swap, frames of one stream
 * may come from two versions; each mask carries its own).
 *
 * @param mask  the class mask
 * @param model the descriptor of the model that made it
 */
public record SegmentedFrame(ClassMask mask, ModelDescriptor model) {
}
