namespace Edge.Sdk.Inference;

/// <summary>
/// An execution provider that was asked for explicitly is not in this ONNX Runtime build or failed to start.
/// The message says what is missing and how to install it; a native failure is the inner exception.
/// </summary>
public sealed class ExecutionProviderUnavailableException : EdgeException
{
    /// <summary>Creates the exception for <paramref name="provider"/>.</summary>
    public ExecutionProviderUnavailableException(ExecutionProvider provider, string message, Exception? innerException = null)
        : base(message, innerException!)
    {
        Provider = provider;
    }

    /// <summary>The provider that could not be used.</summary>
    public ExecutionProvider Provider { get; }
}
