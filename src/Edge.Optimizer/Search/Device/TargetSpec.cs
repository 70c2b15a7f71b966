namespace Edge.Optimizer.Search.Device;

/// <summary>Where <c>auto</c> measures latency: <c>local</c>, <c>device:ID</c> or <c>group:NAME</c>.</summary>
/// <param name="Kind">The kind of target.</param>
/// <param name="Name">The device id or group name; null for local.</param>
internal sealed record TargetSpec(TargetKind Kind, string? Name)
{
    public static TargetSpec Local { get; } = new(TargetKind.Local, null);

    /// <summary>Parses a <c>--target</c> value; null with the problem when it is not one of the three forms.</summary>
    public static TargetSpec? TryParse(string text, out string? problem)
    {
        problem = null;
        if (text == "local")
        {
            return Local;
        }

        foreach (var (prefix, kind) in new[] { ("device:", TargetKind.Device), ("group:", TargetKind.Group) })
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                var name = text[prefix.Length..];
                if (Edge.Protocol.TopicScheme.IsSingleLevel(name))
                {
                    return new TargetSpec(kind, name);
                }

                problem = $"--target '{text}' names no {kind.ToString().ToLowerInvariant()}: the part after '{prefix}' must be one MQTT topic level (no '/', '+' or '#')";
                return null;
            }
        }

        problem = $"--target '{text}' is not local, device:ID or group:NAME";
        return null;
    }

    public override string ToString() => Kind == TargetKind.Local ? "local" : $"{Kind.ToString().ToLowerInvariant()}:{Name}";
}
