namespace Edge.Optimizer.Pipeline;

/// <summary>One epoch of a training pass, as the report plots it.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Loss">Mean training loss over the epoch.</param>
/// <param name="Accuracy">Top-1 accuracy on the evaluation set after the epoch, in [0, 1], when one was given.</param>
internal readonly record struct TrainingPoint(int Epoch, double Loss, double? Accuracy);
