namespace Edge.Optimizer.Search;

/// <summary>
/// What the pruning candidates need (<c>auto --allow-prune</c>): the original as the teacher that recovers accuracy by
/// distillation, the training samples it teaches on, and how long.
/// </summary>
/// <param name="Teacher">The original model.</param>
/// <param name="TrainData">Training dataset for the distillation that follows each prune; never the judging samples.</param>
/// <param name="Epochs">Distillation epochs per pruned candidate.</param>
/// <param name="Preprocess">The preprocessing spec for image datasets, or null.</param>
/// <param name="Threads">Training threads.</param>
/// <param name="UseLabels">Whether the training samples carry labels, which then join the teacher's soft targets.</param>
internal sealed record PruneSettings(string Teacher, string TrainData, int Epochs, string? Preprocess, int Threads, bool UseLabels);
