package dev.segstream.model;


/**
 * Deep residual U-Net (Zhang, Liu, Wang 2018, "Road Extraction by Deep Residual U-Net"):
 * pre-activation residual units throughout, down-sampling by stride-2 convolutions inside the
 * encoder units (no pooling), decoder steps of upsample + concat + residual unit.
 */
public final class ResidualUNet extends UNetBase {

    private ResidualUNet(UNetSpec s) {
        super(s, UNetBlocks.residualStem(IN_CHANNELS, s.channelsAt(0)),
                downSteps(s, level -> UNetBlocks.residualUnit(s.channelsAt(level - 1), s.channelsAt(level), 2)),
                upSteps(s, level -> UNetBlocks.upResidual(s.channelsAt(level + 1) + s.channelsAt(level),
                        s.channelsAt(level))));
    }

    static ResidualUNet of(UNetSpec spec) {
        return new ResidualUNet(spec);
    }
}
