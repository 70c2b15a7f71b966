namespace Edge.Agent.Telemetry;

/// <summary>Parses the configured compression name.</summary>
internal static class PayloadCompression
{
    public static PayloadCompressionKind Parse(string? text) =>
        TryParse(text, out var kind)
            ? kind
            : throw new ArgumentException($"Telemetry compression must be 'none' or 'gzip'; got '{text}'.", nameof(text));

    public static bool TryParse(string? text, out PayloadCompressionKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "none" or "" or null:
                kind = PayloadCompressionKind.None;
                return true;
            case "gzip":
                kind = PayloadCompressionKind.Gzip;
                return true;
            default:
                kind = PayloadCompressionKind.None;
                return false;
        }
    }
}
