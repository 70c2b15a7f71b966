using System.Text.Json.Nodes;

namespace Edge.Quickstart.Devices;

/// <summary>
/// The line protocol between a device process and the quickstart: one JSON object per stdout line after a marker,
/// so the device's other output can never be mistaken for an event.
/// </summary>
internal static class DeviceEvents
{
    public const string Marker = "@quickstart ";

    public const string Ready = "ready";

    public const string Swap = "swap";

    public const string Final = "final";

    public static string Format(JsonObject payload) => Marker + payload.ToJsonString();

    public static JsonObject? Parse(string line) =>
        line.StartsWith(Marker, StringComparison.Ordinal) ? JsonNode.Parse(line.AsSpan(Marker.Length).ToString()) as JsonObject : null;
}
