namespace Edge.Optimizer.Passes.Distill.Interpreter;

/// <summary>
/// The student graph holds a node the TorchSharp interpreter cannot train: an op outside its coverage, or a supported
/// op with an attribute or input form it does not handle. Raised while the module is built, before any training.
/// </summary>
internal sealed class UnsupportedOperatorException : Edge.Sdk.EdgeException
{
    public UnsupportedOperatorException(string opType, string nodeName, string reason)
        : base($"The student cannot be trained: node '{nodeName}' ({opType}) {reason}.")
    {
        OpType = opType;
        NodeName = nodeName;
    }

    public UnsupportedOperatorException()
    {
        OpType = string.Empty;
        NodeName = string.Empty;
    }

    public UnsupportedOperatorException(string message)
        : base(message)
    {
        OpType = string.Empty;
        NodeName = string.Empty;
    }

    public UnsupportedOperatorException(string message, Exception innerException)
        : base(message, innerException)
    {
        OpType = string.Empty;
        NodeName = string.Empty;
    }

    /// <summary>The ONNX op type of the offending node.</summary>
    public string OpType { get; }

    /// <summary>The node's name (or its first output when unnamed).</summary>
    public string NodeName { get; }
}
