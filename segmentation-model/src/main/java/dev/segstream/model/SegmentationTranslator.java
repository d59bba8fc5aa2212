package dev.segstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.RgbImage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Frames in, masks out, in bulk: the batch becomes one NCHW float32 tensor (one native create
 * from the concatenated RGB bytes, scaled to [0,1] and normalised by the descriptor's mean/std,
 * padded right/bottom with zeros, i.e. the mean colour, to a multiple of {@code 2^depth}); the
 * logits are cropped, arg-maxed over the class axis on the device, narrowed to uint8 and copied
 * back once, then split per frame. All arrays live in the per-call manager DJL closes. With a
 * {@link TestTimeAugmentation} other than none the model runs its expanded batch (frames and
 * mirrors in one pass) and the masks come from the merged logits.
 */
public final class SegmentationTranslator implements NoBatchifyTranslator<List<RgbImage>, List<ClassMask>> {

    private static final String SIZE_KEY = "segstream.size";

    private final float[] scale;
    private final float[] shift;
    private final int multiple;
    private final int classes;
    private final TestTimeAugmentation tta;

    /**
     * @param mean     per-channel mean of pixels scaled to [0,1]
     * @param std      per-channel std
     * @param multiple sides are padded to a multiple of this
     * @param classes  output classes (at most 256)
     */
    public SegmentationTranslator(float[] mean, float[] std, int multiple, int classes) {
        this(mean, std, multiple, classes, TestTimeAugmentation.NONE);
    }

    /**
     * @param mean     per-channel mean of pixels scaled to [0,1]
     * @param std      per-channel std
     * @param multiple sides are padded to a multiple of this
     * @param classes  output classes (at most 256)
     * @param tta      test-time augmentation: the model runs {@link TestTimeAugmentation#expand}'s
     *                 batch and the masks come from {@link TestTimeAugmentation#merge}'s logits
     */
    public SegmentationTranslator(float[] mean, float[] std, int multiple, int classes, TestTimeAugmentation tta) {
        this.tta = java.util.Objects.requireNonNull(tta, "tta");
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 channels, got " + mean.length + " and " + std.length);
        }
        if (classes < 1 || classes > 256) {
            throw new IllegalArgumentException("classes must be in [1, 256] to fit a byte mask, got " + classes);
        }
        scale = new float[3];
        shift = new float[3];
        for (int c = 0; c < 3; c++) {
            if (!(std[c] > 0)) {
                throw new IllegalArgumentException("std must be positive, got " + Arrays.toString(std));
            }
            scale[c] = 1f / (255f * std[c]);
            shift[c] = -mean[c] / std[c];
        }
        this.multiple = multiple;
        this.classes = classes;
    }

    /** The translator a descriptor calls for. */
    public static SegmentationTranslator of(ModelDescriptor d) {
        return of(d, TestTimeAugmentation.NONE);
    }

    /** The translator a descriptor calls for, with test-time augmentation {@code tta}. */
    public static SegmentationTranslator of(ModelDescriptor d, TestTimeAugmentation tta) {
        return new SegmentationTranslator(toArray(d.mean(), "mean"), toArray(d.std(), "std"), d.sizeMultiple(),
                d.classes(), tta);
    }

    static float[] toArray(List<Float> values, String what) {
        if (values == null || values.size() != 3) {
            throw new IllegalArgumentException("descriptor " + what + " must list 3 channel values, got " + values);
        }
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /** Side {@code n} rounded up to the multiple. */
    public int padded(int n) {
        return (n + multiple - 1) / multiple * multiple;
    }

    /**
     * Checks a batch: non-empty, one size.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static void checkBatch(List<RgbImage> batch) {
        if (batch == null || batch.isEmpty()) {
            throw new IllegalArgumentException("batch is empty");
        }
        RgbImage first = batch.get(0);
        for (int i = 1; i < batch.size(); i++) {
            RgbImage im = batch.get(i);
            if (im.width() != first.width() || im.height() != first.height()) {
                throw new IllegalArgumentException("all frames of a batch must share a size: frame 0 is "
                        + first.width() + "x" + first.height() + ", frame " + i + " is " + im.width() + "x" + im.height());
            }
        }
    }

    /** The normalised, padded {@code (N, 3, H', W')} input for a batch, on {@code manager}. */
    public NDArray toInput(NDManager manager, List<RgbImage> batch) {
        checkBatch(batch);
        int n = batch.size();
        int w = batch.get(0).width();
        int h = batch.get(0).height();
        int frame = w * h * 3;
        ByteBuffer buf = manager.allocateDirect(n * frame);
        for (RgbImage im : batch) {
            buf.put(im.rgb());
        }
        buf.rewind();
        try (NDManager scope = manager.newSubManager()) {
            NDArray bytes = scope.create(buf, new Shape(n, h, w, 3), DataType.UINT8);
            NDArray x = bytes.toType(DataType.FLOAT32, false).muli(scope.create(scale)).addi(scope.create(shift))
                    .transpose(0, 3, 1, 2);
            int ph = padded(h) - h;
            int pw = padded(w) - w;
            NDArray out = ph == 0 && pw == 0 ? x : x.pad(new Shape(0, pw, 0, ph), 0);
            out.attach(manager);
            return out;
        }
    }

    /** Per-frame masks from {@code (N, classes, H', W')} logits, cropped to {@code w x h}. */
    public List<ClassMask> toMasks(NDArray logits, int w, int h) {
        Shape s = logits.getShape();
        if (s.dimension() != 4 || s.get(1) != classes) {
            throw new IllegalStateException("expected (N, " + classes + ", H, W) logits, got " + s);
        }
        int n = (int) s.get(0);
        byte[] all;
        try (NDManager scope = logits.getManager().newSubManager()) {
            NDArray l = logits;
            if (s.get(2) != h || s.get(3) != w) {
                l = logits.get(new NDIndex(":, :, :{}, :{}", h, w));
                l.attach(scope);
            }
            NDArray arg = l.argMax(1);
            arg.attach(scope);
            NDArray small = arg.toType(DataType.UINT8, false);
            small.attach(scope);
            all = small.toByteArray();
        }
        int frame = w * h;
        List<ClassMask> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ClassMask(w, h, Arrays.copyOfRange(all, i * frame, (i + 1) * frame)));
        }
        return out;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<RgbImage> batch) {
        NDArray x = toInput(ctx.getNDManager(), batch);
        ctx.setAttachment(SIZE_KEY, new int[] {batch.get(0).width(), batch.get(0).height()});
        return new NDList(tta.expand(x, batch.get(0).width()));
    }

    @Override
    public List<ClassMask> processOutput(TranslatorContext ctx, NDList list) {
        int[] size = (int[]) ctx.getAttachment(SIZE_KEY);
        return toMasks(tta.merge(list.head(), size[0]), size[0], size[1]);
    }
}
