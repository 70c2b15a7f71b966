using Edge.Fleet.Monitoring;
using Edge.Protocol;

namespace Edge.Fleet.Tests.Storage;

/// <summary>Statuses and telemetry records as agents send them, for the store tests.</summary>
internal static class StoreTestData
{
    /// <summary>A fixed instant on whole milliseconds (PostgreSQL keeps microseconds, SQLite 100 ns ticks).</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static StatusPayload Online(string device, string board = "jetson-orin-nano", string fleet = "f1") => new()
    {
        State = "online",
        Fleet = fleet,
        Device = device,
        Timestamp = Start,
        Facts = new DeviceFacts { Board = board, Os = "linux", Architecture = "arm64", AgentVersion = "1.0.0", SdkVersion = "1.0.0", Models = [new ModelFact("mnist", "1.0.0")] },
    };

    /// <summary>The Last Will: offline, no facts.</summary>
    public static StatusPayload Offline(string device, DateTimeOffset? timestamp) => new()
    {
        State = "offline",
        Fleet = "f1",
        Device = device,
        Reason = "connection-lost",
        Timestamp = timestamp,
    };

    /// <summary>A sample with one model (or none when <paramref name="calls"/> is null).</summary>
    public static TelemetryRecord Record(string device, long seq, DateTimeOffset at, long? calls = 10, double p95 = 4.5, double cpu = 20) =>
        new(device, seq, at, new TelemetrySample
        {
            Timestamp = at,
            IntervalMs = 1000,
            System = new SystemFigures { CpuPercent = cpu, MemoryTotalBytes = 4_000_000_000, MemoryAvailableBytes = 3_000_000_000, TemperatureCelsius = 50 },
            Inference = calls is { } value ? [new InferenceFigures { Model = "mnist", Version = "1.0.0", Provider = "cpu", Calls = value, Errors = 1, P50Ms = 2, P95Ms = p95, P99Ms = p95 + 1 }] : [],
            Outbox = new OutboxFigures(0, 0, 0),
        });
}
