namespace Edge.Protocol;

/// <summary>A log record kept by the in-memory ring buffer and returned by <c>collect-diagnostics</c>.</summary>
/// <param name="Timestamp">When it was logged (UTC).</param>
/// <param name="Level">The log level name (<c>Information</c>, <c>Warning</c>...).</param>
/// <param name="Category">The logger category.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception's text when one was logged; otherwise null.</param>
public sealed record LogRecordPayload(DateTimeOffset Timestamp, string Level, string Category, string Message, string? Exception);
