namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// Training kept producing non-finite values after the allowed restarts from the last finite state. The message is
/// one line naming the epoch and step, the last finite loss and what to try; the checkpoint of the last finished
/// epoch is left as it was. The command reports it with exit code 3 (the goal of a finite model was not met).
/// </summary>
internal sealed class TrainingDivergedException : Exception
{
    public TrainingDivergedException(string message, IReadOnlyList<TrainingRecovery> recoveries)
        : base(message) => Recoveries = recoveries;

    public TrainingDivergedException()
        : this("Training diverged.", [])
    {
    }

    public TrainingDivergedException(string message)
        : this(message, [])
    {
    }

    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException) => Recoveries = [];

    /// <summary>Every restart made before giving up, the last one included.</summary>
    public IReadOnlyList<TrainingRecovery> Recoveries { get; }
}
