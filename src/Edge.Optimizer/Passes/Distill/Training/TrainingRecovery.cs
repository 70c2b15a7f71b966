namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// One restart after a non-finite value: where it happened (epoch, step), what became non-finite, the last finite
/// loss before it, and the learning-rate scale the epoch was restarted with (halved at every restart).
/// </summary>
internal sealed record TrainingRecovery(int Epoch, long Step, string Cause, double? LastFiniteLoss, double LearningRateScale);
