namespace Edge.Agent;

/// <summary>Remote commands.</summary>
public sealed class CommandOptions
{
    /// <summary>Largest accepted request payload; larger ones get an error response. 64 bytes to 1 MiB, default 16 KiB.</summary>
    public int MaxPayloadBytes { get; set; } = 16 * 1024;

    /// <summary>Log records kept in memory for <c>collect-diagnostics</c>, 10 to 10000. Default 500.</summary>
    public int DiagnosticLogCapacity { get; set; } = 500;
}
