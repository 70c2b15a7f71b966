using System.Buffers;
using System.Text;
using System.Text.Json;
using Edge.Fleet.Inventory;
using Edge.Fleet.Monitoring;
using MQTTnet;

namespace Edge.Fleet.Tests.Monitoring;

/// <summary>Replays a recorded fixture (Fixtures/*.jsonl: receivedAt, topic, payload) into a monitor state.</summary>
internal static class RecordedTelemetry
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static IReadOnlyList<(DateTimeOffset Received, string Topic, string Payload)> Load(string name) =>
        File.ReadLines(PathOf(name)).Where(l => l.Length > 0).Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return (root.GetProperty("receivedAt").GetDateTimeOffset(), root.GetProperty("topic").GetString()!, root.GetProperty("payload").GetString()!);
        }).ToArray();

    /// <summary>Feeds every message through the same handlers the live monitor uses; returns the state and the last receive time.</summary>
    public static (FleetMonitorState State, DateTimeOffset Last) Replay(string name)
    {
        var state = new FleetMonitorState();
        var statuses = new StatusCollector("lobby", TimeProvider.System);
        statuses.StatusReceived += state.ApplyStatus;
        var last = DateTimeOffset.MinValue;
        foreach (var (received, topic, payload) in Load(name))
        {
            var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(payload)).Build();
            if (!statuses.Handle(message))
            {
                state.Ingest(topic, TelemetryParser.Parse(topic, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload))), received);
            }

            last = received;
        }

        return (state, last);
    }
}
