using Edge.Agent.Protocol;
using Microsoft.Extensions.Logging;

namespace Edge.Agent.Diagnostics;

/// <summary>Writes formatted records into a <see cref="LogRingBuffer"/>.</summary>
internal sealed class RingBufferLogger : ILogger
{
    private readonly string _category;
    private readonly LogRingBuffer _buffer;
    private readonly TimeProvider _time;

    public RingBufferLogger(string category, LogRingBuffer buffer, TimeProvider time)
    {
        _category = category;
        _buffer = buffer;
        _time = time;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        ArgumentNullException.ThrowIfNull(formatter);
        _buffer.Add(new LogRecordPayload(_time.GetUtcNow(), logLevel.ToString(), _category, formatter(state, exception), exception?.ToString()));
    }
}
