namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>What one epoch measured: mean training loss, and evaluation through the SDK when an eval set is given.</summary>
internal sealed record EpochRecord(int Epoch, long Steps, double MeanLoss, double? EvalAccuracy, double? EvalAgreement, double Seconds);
