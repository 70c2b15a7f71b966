namespace Edge.Agent.Inference;

/// <summary>A request the inference endpoint refuses; <see cref="StatusCode"/> is the HTTP answer and the message its <c>error</c>.</summary>
internal sealed class InferenceProtocolException : Exception
{
    public InferenceProtocolException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public InferenceProtocolException()
    {
    }

    public InferenceProtocolException(string message)
        : base(message)
    {
    }

    public InferenceProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status code, 400 unless said otherwise.</summary>
    public int StatusCode { get; } = 400;
}
