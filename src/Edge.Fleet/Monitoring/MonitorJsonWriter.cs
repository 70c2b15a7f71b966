using System.Text.Json;
using System.Text.Json.Nodes;

namespace Edge.Fleet.Monitoring;

/// <summary>
/// <c>edge-fleet monitor --json</c>: one <c>edge.monitor/1</c> document of a <see cref="MonitorSnapshot"/> (docs/fleet.md,
/// "Monitoring"): the totals, and per device its figures, its drift section as the device reported it, and the names of
/// the thresholds it breaches (<see cref="MonitorThresholds.Breaches"/>).
/// </summary>
internal static class MonitorJsonWriter
{
    public const string Schema = "edge.monitor/1";

    public static string Write(MonitorSnapshot snapshot, MonitorThresholds thresholds)
    {
        var devices = new JsonArray();
        foreach (var device in snapshot.Devices)
        {
            devices.Add(new JsonObject
            {
                ["device"] = device.Device,
                ["online"] = device.Online,
                ["model"] = device.Model,
                ["p50Ms"] = device.P50Ms,
                ["p95Ms"] = device.P95Ms,
                ["calls"] = device.Calls,
                ["errors"] = device.Errors,
                ["errorsTotal"] = device.ErrorsTotal,
                ["cpuPercent"] = device.CpuPercent,
                ["memoryPercent"] = device.MemoryPercent,
                ["temperatureCelsius"] = device.TemperatureCelsius,
                ["lastTelemetry"] = device.LastTelemetry,
                ["malformed"] = device.Malformed,
                ["drift"] = device.Drift is not { } drift ? null : new JsonObject
                {
                    ["model"] = drift.Model,
                    ["referenceVersion"] = drift.ReferenceVersion,
                    ["window"] = drift.Window,
                    ["samples"] = drift.Samples,
                    ["inputDistance"] = drift.InputDistance,
                    ["input"] = drift.Input,
                    ["channel"] = drift.Channel,
                    ["confidencePsi"] = drift.ConfidencePsi,
                    ["sampled"] = drift.Sampled,
                    ["dropped"] = drift.Dropped,
                },
                ["breaches"] = new JsonArray([.. thresholds.Breaches(device).Select(b => (JsonNode)b)]),
            });
        }

        var document = new JsonObject
        {
            ["schema"] = Schema,
            ["fleet"] = snapshot.Fleet,
            ["group"] = snapshot.Group,
            ["now"] = snapshot.Now,
            ["broker"] = snapshot.Broker,
            ["thresholds"] = new JsonObject
            {
                ["maxP95Ms"] = thresholds.MaxP95Ms,
                ["maxErrorRate"] = thresholds.MaxErrorRate,
                ["maxCpuPercent"] = thresholds.MaxCpuPercent,
                ["maxMemoryPercent"] = thresholds.MaxMemoryPercent,
                ["maxTemperatureCelsius"] = thresholds.MaxTemperatureCelsius,
                ["maxDriftInput"] = thresholds.MaxDriftInput,
                ["maxDriftConfidencePsi"] = thresholds.MaxDriftConfidencePsi,
            },
            ["devices"] = devices,
            ["messagesIngested"] = snapshot.MessagesIngested,
            ["recordsIngested"] = snapshot.RecordsIngested,
            ["duplicates"] = snapshot.Duplicates,
            ["malformedMessages"] = snapshot.MalformedMessages,
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine;
    }
}
