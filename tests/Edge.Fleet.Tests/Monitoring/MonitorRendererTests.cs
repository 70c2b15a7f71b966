using System.Globalization;
using System.Text.Json;
using Edge.Fleet.Monitoring;

namespace Edge.Fleet.Tests.Monitoring;

public class MonitorRendererTests
{
    private const string Fixture = "lobby-telemetry.jsonl";

    private static string Render(MonitorThresholds? thresholds = null)
    {
        var (state, last) = RecordedTelemetry.Replay(Fixture);
        return MonitorRenderer.RenderToString(state.Snapshot("lobby", null, last, "connected"), thresholds ?? new MonitorThresholds { MaxP95Ms = 10 }, width: 150);
    }

    private static string Row(string text, string device) => text.Split('\n').Single(l => l.TrimStart().StartsWith(device + " ", StringComparison.Ordinal));

    /// <summary>The latest well-formed p95 of a device in the fixture, read with plain JSON (not the parser under test).</summary>
    private static double LatestP95(string device)
    {
        var latest = RecordedTelemetry.Load(Fixture).Where(m => m.Topic == $"edge/lobby/{device}/telemetry").Select(m =>
        {
            try
            {
                using var document = JsonDocument.Parse(m.Payload);
                var p95 = document.RootElement.GetProperty("records")[0].GetProperty("data").GetProperty("inference")[0].GetProperty("p95Ms").GetDouble();
                return p95 >= 0 ? p95 : (double?)null;
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
            {
                return null;
            }
        }).Where(p => p is not null).Last();
        return latest!.Value;
    }

    [Fact]
    public void RenderToString_RecordedLobbyTelemetry_ShowsEveryDeviceWithLatestFigures()
    {
        var text = Render();

        Assert.DoesNotContain("\u001b[", text, StringComparison.Ordinal); // no ANSI codes
        foreach (var device in new[] { "dev-001", "dev-002", "dev-003", "dev-004" })
        {
            var row = Row(text, device);
            Assert.Contains("mnist@1.0.0", row, StringComparison.Ordinal);
            Assert.Contains(LatestP95(device).ToString("F1", CultureInfo.InvariantCulture), row, StringComparison.Ordinal);
        }

        Assert.Contains("4 devices, 3 online", text, StringComparison.Ordinal);
        Assert.Contains("offline !", Row(text, "dev-004"), StringComparison.Ordinal);
        Assert.Contains("online", Row(text, "dev-001"), StringComparison.Ordinal);
    }

    [Fact]
    public void RenderToString_RecordedLobbyTelemetry_HighlightsBreachesOnly()
    {
        var text = Render();

        Assert.Contains("dev-001 !", text, StringComparison.Ordinal); // p95 2.5× the 5 ms base, over the 10 ms limit
        Assert.Matches(@"1[0-9]\.[0-9] !", Row(text, "dev-001"));
        Assert.Contains("%) !", Row(text, "dev-003"), StringComparison.Ordinal); // 5% errors > 1%
        foreach (var device in new[] { "dev-002", "dev-003", "dev-004" })
        {
            Assert.DoesNotContain(LatestP95(device).ToString("F1", CultureInfo.InvariantCulture) + " !", Row(text, device), StringComparison.Ordinal);
        }

        Assert.Contains("0 (0.0 %) ", Row(text, "dev-002"), StringComparison.Ordinal); // no errors, no mark
        Assert.DoesNotContain("%) !", Row(text, "dev-002"), StringComparison.Ordinal);
    }

    [Fact]
    public void RenderToString_RecordedMalformedMessages_CountsAndListsThemWithoutLosingGoodData()
    {
        var (state, last) = RecordedTelemetry.Replay(Fixture);
        var snapshot = state.Snapshot("lobby", null, last, "connected");
        var text = MonitorRenderer.RenderToString(snapshot, new MonitorThresholds(), width: 150);

        Assert.Equal(3, snapshot.MalformedMessages);
        Assert.Equal(1, snapshot.Devices.Single(d => d.Device == "dev-002").Malformed);
        Assert.Equal(2, snapshot.Devices.Single(d => d.Device == "dev-003").Malformed);
        Assert.Contains("Malformed telemetry (latest):", text, StringComparison.Ordinal);
        Assert.Contains("edge.telemetry/9", text, StringComparison.Ordinal);
        Assert.Contains("negative or NaN inference figures", text, StringComparison.Ordinal);
        Assert.Contains("not JSON", text, StringComparison.Ordinal);
        Assert.Equal(38, snapshot.RecordsIngested); // every well-formed record: 40 seqs in the file less the two hand-written bad ones
        Assert.Equal(41, snapshot.MessagesIngested);
    }

    [Fact]
    public void RenderToString_TrendOfSlowingDevice_RisesToTheHighestBlock()
    {
        var (state, last) = RecordedTelemetry.Replay(Fixture);
        var device = state.Snapshot("lobby", null, last, "connected").Devices.Single(d => d.Device == "dev-001");

        var spark = MonitorRenderer.Sparkline(device.P95Trend);

        Assert.Equal(Math.Min(FleetMonitorState.TrendLength, 11), spark.Length); // dev-001 sent 11 samples
        Assert.Equal('█', spark[^1]);
        Assert.Contains('▁', spark);
    }

    [Fact]
    public void Sparkline_ConstantSeries_IsFlatMiddle() =>
        Assert.Equal("▄▄▄", MonitorRenderer.Sparkline([2.0, 2.0, 2.0]));
}
