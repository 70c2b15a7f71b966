namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>Per input channel (axis 1) of a layer: mean and variance on the calibration samples.</summary>
internal sealed record InputMoments(double[] Mean, double[] Variance);
