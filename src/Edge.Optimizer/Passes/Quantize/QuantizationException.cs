using Edge.Sdk;

namespace Edge.Optimizer.Passes.Quantize;

/// <summary>A model or option combination the quantizer refuses, with the reason and what to do instead.</summary>
internal sealed class QuantizationException : EdgeException
{
    public QuantizationException()
    {
    }

    public QuantizationException(string message)
        : base(message)
    {
    }

    public QuantizationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
