package dev.segstream.model;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.MemoryUsage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPU memory of the device a model serves on, for the "JVM and device" dashboard: used and total
 * bytes as CUDA reports them for the whole device (what {@code nvidia-smi} shows, the caching
 * allocator's reserve included). Binds nothing on a CPU device, so a CPU host has no GPU series.
 */
public final class GpuMeters implements MeterBinder {

    private final Device device;

    /** @param device the serving device as {@link SegmentationModel#device()} names it ({@code cpu()}, {@code gpu(0)}) */
    public GpuMeters(String device) {
        this.device = fromModelNotation(device);
    }

    private static Device fromModelNotation(String name) {
        Matcher gpu = Pattern.compile("gpu\\((\\d+)\\)").matcher(name);
        return gpu.matches() ? Device.gpu(Integer.parseInt(gpu.group(1))) : Device.cpu();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (!device.isGpu() || CudaUtils.getGpuCount() <= device.getDeviceId()) {
            return;
        }
        String tag = device.toString();
        Gauge.builder("segstream.device.memory.used", device, d -> usage(d).getUsed())
                .description("GPU memory in use on the serving device").baseUnit("bytes").tag("device", tag)
                .register(registry);
        Gauge.builder("segstream.device.memory.total", device, d -> usage(d).getMax())
                .description("GPU memory of the serving device").baseUnit("bytes").tag("device", tag)
                .register(registry);
    }

    private static MemoryUsage usage(Device device) {
        return CudaUtils.getGpuMemory(device);
    }
}
