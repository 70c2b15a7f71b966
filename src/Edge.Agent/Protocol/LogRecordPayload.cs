namespace Edge.Agent.Protocol;

/// <summary>A log record kept by the in-memory ring buffer and returned by <c>collect-diagnostics</c>.</summary>
internal sealed record LogRecordPayload(DateTimeOffset Timestamp, string Level, string Category, string Message, string? Exception);
