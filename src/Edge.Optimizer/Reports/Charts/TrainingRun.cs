namespace Edge.Optimizer.Reports.Charts;

/// <summary>One training run (for example one distillation of one student), epoch by epoch.</summary>
/// <param name="Name">The run's name, shown in the legend when a chart holds several runs.</param>
/// <param name="Epochs">Its epochs, in any order; the chart sorts them by number.</param>
internal sealed record TrainingRun(string Name, IReadOnlyList<TrainingEpoch> Epochs);
