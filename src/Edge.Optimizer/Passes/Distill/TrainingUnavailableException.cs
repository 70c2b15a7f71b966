namespace Edge.Optimizer.Passes.Distill;

/// <summary>TorchSharp's native library cannot be loaded here; the message says what to do in one line.</summary>
internal sealed class TrainingUnavailableException : Edge.Sdk.EdgeException
{
    public TrainingUnavailableException()
    {
    }

    public TrainingUnavailableException(string message)
        : base(message)
    {
    }

    public TrainingUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
