using System.Buffers;
using System.Text;
using System.Text.Json;
using Edge.Fleet.Monitoring;
using Edge.Fleet.Tests.Storage;
using static Edge.Fleet.Tests.Storage.StoreTestData;

namespace Edge.Fleet.Tests.Monitoring;

/// <summary>Drift sections: parsed or refused as malformed, kept per device, flagged in the table and in --json.</summary>
public sealed class DriftFlagTests
{
    private static string Message(string device, long seq, string drift) =>
        "{\"schema\":\"edge.telemetry/1\",\"fleet\":\"f1\",\"device\":\"" + device + "\",\"records\":[{\"seq\":" + seq + ",\"data\":{\"kind\":\"sample\",\"timestamp\":\"2026-11-22T10:00:0" + seq
        + "Z\",\"intervalMs\":1000,\"system\":{\"cpuPercent\":12.5},\"inference\":[],\"outbox\":{\"pending\":0,\"pendingBytes\":0,\"droppedTotal\":0},\"drift\":" + drift + "}}]}";

    private static TelemetryParseResult Parse(string device, long seq, string drift) =>
        TelemetryParser.Parse($"edge/f1/{device}/telemetry", new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(Message(device, seq, drift))));

    [Theory]
    [InlineData("{\"model\":\"mnist\",\"referenceVersion\":\"1.0.0\",\"window\":200,\"samples\":201}", "samples 201 must be 0 to the window (200)")]
    [InlineData("{\"model\":\"mnist\",\"referenceVersion\":\"1.0.0\",\"window\":200,\"samples\":10,\"inputDistance\":-1}", "inputDistance -1")]
    [InlineData("{\"model\":\"\",\"referenceVersion\":\"1.0.0\",\"window\":200,\"samples\":10}", "'model' and 'referenceVersion' must be set")]
    [InlineData("{\"model\":\"mnist\",\"referenceVersion\":\"1.0.0\",\"window\":200,\"samples\":10,\"confidencePsi\":\"high\"}", "seq 1")]
    [InlineData("[1,2]", "seq 1")]
    public void Parse_MalformedDrift_CountsTheRecordAsMalformed(string drift, string expected)
    {
        var result = Parse("d1", 1, drift);

        Assert.Empty(result.Records);
        Assert.Contains(expected, Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_MalformedDriftBetweenGoodOnes_KeepsIngestingAndShowsTheLatestGood()
    {
        var state = new FleetMonitorState();
        var good = "{\"model\":\"mnist\",\"referenceVersion\":\"1.0.0\",\"window\":200,\"samples\":200,\"inputDistance\":2.9,\"input\":\"Input3\",\"channel\":0,\"confidencePsi\":0.8,\"sampled\":200,\"dropped\":0}";

        state.Ingest("edge/f1/d1/telemetry", Parse("d1", 1, good.Replace("2.9", "0.01", StringComparison.Ordinal)), Start);
        state.Ingest("edge/f1/d1/telemetry", Parse("d1", 2, "{\"window\":0}"), Start);
        state.Ingest("edge/f1/d1/telemetry", Parse("d1", 3, good), Start);

        var device = Assert.Single(state.Snapshot("f1", null, Start, "connected").Devices);
        Assert.Equal((1L, 2.9, 0.8), (device.Malformed, device.Drift!.InputDistance!.Value, device.Drift.ConfidencePsi!.Value));
    }

    [Fact]
    public void Thresholds_Defaults_FlagInputAndConfidenceDriftSeparately()
    {
        var thresholds = new MonitorThresholds();
        DeviceSnapshot Device(double? input, double? psi) => new() { Device = "d", Online = true, Drift = FleetStoreContract.WithDrift(Record("d", 1, Start), input, psi).Sample.Drift };

        Assert.Equal([], thresholds.Breaches(Device(0.49, 0.24)));
        Assert.Equal(["drift-input"], thresholds.Breaches(Device(0.51, 0.1)));
        Assert.Equal(["drift-confidence"], thresholds.Breaches(Device(0.1, 0.26)));
        Assert.Equal([], thresholds.Breaches(Device(null, null)));
        Assert.Equal([], new MonitorThresholds { MaxDriftInput = null, MaxDriftConfidencePsi = null }.Breaches(Device(9, 9)));
    }

    [Fact]
    public void Render_DriftingDevice_MarksItsDriftAndItsName()
    {
        var snapshot = Snapshot(("calm", 0.02, 0.01), ("shifted", 2.87, 0.91));

        var text = MonitorRenderer.RenderToString(snapshot, new MonitorThresholds(), width: 200);

        var calm = text.Split('\n').Single(l => l.TrimStart().StartsWith("calm ", StringComparison.Ordinal));
        var shifted = text.Split('\n').Single(l => l.TrimStart().StartsWith("shifted ", StringComparison.Ordinal));
        Assert.Contains("0.02/0.01", calm, StringComparison.Ordinal);
        Assert.DoesNotContain("!", calm, StringComparison.Ordinal);
        Assert.Contains("shifted !", shifted, StringComparison.Ordinal);
        Assert.Contains("2.87 !/0.91 !", shifted, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteJson_DriftingDevice_CarriesFiguresAndBreaches()
    {
        var snapshot = Snapshot(("calm", 0.02, 0.01), ("shifted", 2.87, 0.1));

        using var document = JsonDocument.Parse(MonitorJsonWriter.Write(snapshot, new MonitorThresholds { MaxDriftInput = 1 }));

        var root = document.RootElement;
        Assert.Equal("edge.monitor/1", root.GetProperty("schema").GetString());
        Assert.Equal(1, root.GetProperty("thresholds").GetProperty("maxDriftInput").GetDouble());
        var devices = root.GetProperty("devices");
        Assert.Equal(0, devices[0].GetProperty("breaches").GetArrayLength());
        Assert.Equal(["drift-input"], devices[1].GetProperty("breaches").EnumerateArray().Select(b => b.GetString()));
        var drift = devices[1].GetProperty("drift");
        Assert.Equal((2.87, "Input3", 0), (drift.GetProperty("inputDistance").GetDouble(), drift.GetProperty("input").GetString(), drift.GetProperty("channel").GetInt32()));
    }

    private static MonitorSnapshot Snapshot(params (string Device, double Input, double Psi)[] devices) => new()
    {
        Fleet = "f1",
        Now = Start,
        Devices = [.. devices.Select(d => new DeviceSnapshot { Device = d.Device, Online = true, Drift = FleetStoreContract.WithDrift(Record(d.Device, 1, Start), d.Input, d.Psi).Sample.Drift })],
    };
}
