namespace Edge.Protocol;

/// <summary>
/// Every topic the agent uses lives under <c>edge/{fleet}/{device}/</c>, so a broker ACL pattern such as
/// <c>pattern readwrite edge/+/%c/#</c> confines each device to its own subtree. See docs/protocol.md.
/// </summary>
public sealed class TopicScheme
{
    /// <summary>The first level of every Edge topic: <c>edge</c>.</summary>
    public const string Root = "edge";
    /// <summary>The command-topic level reserved for responses (<c>cmd/response</c>); never a command name.</summary>
    public const string ResponseCommandName = "response";

    /// <summary>Builds the topics of one device.</summary>
    /// <param name="fleetId">The fleet id; one topic level (see <see cref="IsSingleLevel"/>).</param>
    /// <param name="deviceId">The device id; one topic level.</param>
    public TopicScheme(string fleetId, string deviceId)
    {
        FleetId = fleetId;
        DeviceId = deviceId;
        Prefix = $"{Root}/{fleetId}/{deviceId}";
        Status = Prefix + "/status";
        Telemetry = Prefix + "/telemetry";
        CommandPrefix = Prefix + "/cmd/";
        CommandFilter = Prefix + "/cmd/+";
        CommandResponse = Prefix + "/cmd/" + ResponseCommandName;
    }

    /// <summary>The fleet id.</summary>
    public string FleetId { get; }

    /// <summary>The device id.</summary>
    public string DeviceId { get; }

    /// <summary><c>edge/{fleet}/{device}</c>.</summary>
    public string Prefix { get; }

    /// <summary>Retained online/offline status with device facts.</summary>
    public string Status { get; }

    /// <summary>Telemetry batches from the outbox.</summary>
    public string Telemetry { get; }

    /// <summary><c>edge/{fleet}/{device}/cmd/</c>; a command's name is the last level.</summary>
    public string CommandPrefix { get; }

    /// <summary>The subscription that receives command requests.</summary>
    public string CommandFilter { get; }

    /// <summary>Default topic for command responses.</summary>
    public string CommandResponse { get; }

    /// <summary>
    /// Whether <paramref name="value"/> can stand as one level of a topic (a fleet, device or group id): non-empty,
    /// without the level separator '/' or the wildcards '+' and '#'.
    /// </summary>
    public static bool IsSingleLevel([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value) =>
        !string.IsNullOrEmpty(value) && value.IndexOfAny(['/', '+', '#']) < 0;

    /// <summary>The command name of a request topic, or null if the topic is not a request to this device.</summary>
    public string? CommandName(string topic)
    {
        if (!topic.StartsWith(CommandPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var name = topic[CommandPrefix.Length..];
        return name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name == ResponseCommandName ? null : name;
    }

    /// <summary>
    /// A requester may ask for the response on <c>cmd/response</c> or a subtopic of it; anything else would be refused
    /// by the broker ACL (a device only writes under its own prefix), so it falls back to the default response topic.
    /// </summary>
    public string ResponseTopicFor(string? requested) =>
        requested is not null
        && (requested == CommandResponse || requested.StartsWith(CommandResponse + "/", StringComparison.Ordinal))
        && !requested.Contains('+', StringComparison.Ordinal) && !requested.Contains('#', StringComparison.Ordinal)
            ? requested
            : CommandResponse;
}
