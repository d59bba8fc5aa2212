package dev.segstream.trainer.service;

import dev.segstream.core.data.CamVidClasses;
import dev.segstream.model.UNetVariant;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * The trainer service's meters, observing what it keeps: samples, rounds, versions published and
 * kept back by the gate, the window's size, and each variant's last round (loss, lr, held-out mIoU
 * of the candidate and of its champion on the same frames, per-class IoU), as the offline study
 * reports them. Gauges read NaN before a variant's first round.
 */
final class TrainerServiceMetrics implements MeterBinder {

    private final TrainerService service;

    TrainerServiceMetrics(TrainerService service) {
        this.service = service;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("segstream.trainer.samples", service, TrainerService::accepted)
                .description("Labelled frames read").baseUnit("frames").tag("outcome", "accepted").register(registry);
        FunctionCounter.builder("segstream.trainer.samples", service, TrainerService::rejected)
                .description("Labelled frames read").baseUnit("frames").tag("outcome", "rejected").register(registry);
        FunctionCounter.builder("segstream.trainer.rounds", service, TrainerService::rounds)
                .description("Training rounds started").baseUnit("rounds").register(registry);
        FunctionCounter.builder("segstream.trainer.versions", service, TrainerService::published)
                .description("Candidates judged").baseUnit("versions").tag("outcome", "published").register(registry);
        FunctionCounter.builder("segstream.trainer.versions", service, TrainerService::gated)
                .description("Candidates judged").baseUnit("versions").tag("outcome", "kept_champion")
                .register(registry);
        Gauge.builder("segstream.trainer.window.frames", service, TrainerService::windowFrames)
                .description("Training frames in the window").baseUnit("frames").register(registry);
        for (UNetVariant v : service.variants()) {
            String id = v.id();
            round(registry, "segstream.trainer.round.loss", "Mean training loss of the variant's last round", id,
                    RoundRunner.Result::meanLoss);
            round(registry, "segstream.trainer.round.lr", "Learning rate of the variant's last round", id,
                    RoundRunner.Result::lr);
            round(registry, "segstream.trainer.round.heldout.miou", "Held-out mIoU of the last round's candidate", id,
                    RoundRunner.Result::miou);
            round(registry, "segstream.trainer.round.parent.heldout.miou",
                    "Held-out mIoU of the champion the last round started from, on the same frames", id,
                    RoundRunner.Result::parentMiou);
            for (int c = 0; c < CamVidClasses.COUNT; c++) {
                int cls = c;
                Gauge.builder("segstream.trainer.round.heldout.iou", service, s -> {
                    RoundRunner.Result r = s.lastResults().get(id);
                    return r == null ? Double.NaN : r.perClassIou()[cls];
                }).description("Held-out IoU per class of the last round's candidate").tag("variant", id)
                        .tag("class", CamVidClasses.NAMES.get(cls)).register(registry);
            }
        }
    }

    private void round(MeterRegistry registry, String name, String description, String variant,
                       ToDoubleFunction<RoundRunner.Result> f) {
        Gauge.builder(name, service, s -> {
            RoundRunner.Result r = s.lastResults().get(variant);
            return r == null ? Double.NaN : f.applyAsDouble(r);
        }).description(description).tag("variant", variant).register(registry);
    }
}
