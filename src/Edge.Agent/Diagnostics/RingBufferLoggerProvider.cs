using Microsoft.Extensions.Logging;

namespace Edge.Agent.Diagnostics;

/// <summary>Logger provider that copies Information-and-above records into the <see cref="LogRingBuffer"/>.</summary>
[ProviderAlias("RingBuffer")]
internal sealed class RingBufferLoggerProvider : ILoggerProvider
{
    private readonly LogRingBuffer _buffer;
    private readonly TimeProvider _time;

    public RingBufferLoggerProvider(LogRingBuffer buffer, TimeProvider time)
    {
        _buffer = buffer;
        _time = time;
    }

    public ILogger CreateLogger(string categoryName) => new RingBufferLogger(categoryName, _buffer, _time);

    public void Dispose()
    {
    }
}
