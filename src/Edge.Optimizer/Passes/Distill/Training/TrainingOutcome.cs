namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>What a finished training run reports beside the trained student: the epochs, the thread check and any restarts.</summary>
internal sealed record TrainingOutcome(IReadOnlyList<EpochRecord> History, ThreadCheckResult ThreadCheck, IReadOnlyList<TrainingRecovery> Recoveries);
