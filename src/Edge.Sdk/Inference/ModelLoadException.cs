namespace Edge.Sdk.Inference;

/// <summary>A model could not be loaded (missing, corrupt, or unsupported); ONNX Runtime's error is the inner exception.</summary>
public sealed class ModelLoadException : EdgeException
{
    /// <summary>Creates the exception for the model at <paramref name="modelSource"/>.</summary>
    public ModelLoadException(string modelSource, string message, Exception? innerException = null)
        : base(message, innerException!)
    {
        ModelSource = modelSource;
    }

    /// <summary>The file path of the model, or a description such as "in-memory model (26454 bytes)".</summary>
    public string ModelSource { get; }
}
