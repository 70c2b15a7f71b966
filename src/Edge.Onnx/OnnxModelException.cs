namespace Edge.Onnx;

/// <summary>
/// An ONNX model could not be read, written or validated. The message names the file and what was wrong,
/// with the expected and actual values where there are any; parser errors travel as the inner exception.
/// </summary>
public class OnnxModelException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public OnnxModelException()
    {
    }

    /// <summary>Creates an exception with a message that names what was wrong and what was expected.</summary>
    public OnnxModelException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception that wraps the underlying cause.</summary>
    public OnnxModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
