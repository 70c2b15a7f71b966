namespace Edge.Optimizer.Reports.Charts;

/// <summary>What one epoch of a training run measured.</summary>
/// <param name="Epoch">Epoch number (1-based in distillation reports).</param>
/// <param name="Loss">Mean training loss of the epoch (unitless).</param>
/// <param name="AccuracyPercent">Evaluation accuracy in percent, or <see langword="null"/> when the epoch was not evaluated.</param>
internal sealed record TrainingEpoch(int Epoch, double Loss, double? AccuracyPercent = null);
