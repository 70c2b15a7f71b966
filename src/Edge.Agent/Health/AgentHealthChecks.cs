namespace Edge.Agent.Health;

/// <summary>The names and tags of the agent's health checks, as <c>/healthz</c> and <c>/readyz</c> report them.</summary>
internal static class AgentHealthChecks
{
    /// <summary>Tag of the checks behind liveness (<c>/healthz</c>): is the process still doing its work.</summary>
    public const string LiveTag = "live";

    /// <summary>Tag of the checks behind readiness (<c>/readyz</c>): is the device connected and serving.</summary>
    public const string ReadyTag = "ready";

    public const string Loops = "loops";
    public const string Broker = "broker";
    public const string Outbox = "outbox";
    public const string Model = "model";
    public const string Ota = "ota";
}
