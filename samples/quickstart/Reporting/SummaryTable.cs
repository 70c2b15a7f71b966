using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Quickstart.Optimization;
using Spectre.Console;

namespace Edge.Quickstart.Reporting;

/// <summary>The tables the quickstart prints: models side by side, and the closing summary.</summary>
internal static class SummaryTable
{
    public static void WriteModels(IAnsiConsole console, IReadOnlyList<ModelFigures> models, int latencyRuns)
    {
        var baseline = models[0];
        var table = new Table().Border(TableBorder.Rounded).AddColumns("model", "size", "p50 latency", "p95 latency", "top-1", "agrees with original");
        foreach (var m in models)
        {
            table.AddRow(
                Markup.Escape(m.Label),
                $"{m.Bytes:N0} B ({Ratio(m.Bytes, baseline.Bytes)})",
                $"{Ms(m.P50Ms)} ({Ratio(m.P50Ms, baseline.P50Ms)})",
                Ms(m.P95Ms),
                Percent(m.Top1),
                Percent(m.Agreement));
        }

        table.Caption($"[grey]latency: {latencyRuns} runs per model interleaved in this run, 1 thread; accuracy: {baseline.Samples} held-out samples[/]");
        console.Write(table);
    }

    public static void Write(IAnsiConsole console, QuickstartSummary summary)
    {
        console.WriteLine();
        console.Write(new Rule("[bold]Summary[/] (every figure measured in this run)").LeftJustified());
        var table = new Table().Border(TableBorder.Rounded).AddColumns("step", "result");
        var v1 = summary.Models.FirstOrDefault(m => m.Label == QuickstartSummary.V1Label);
        var v2 = summary.Models.FirstOrDefault(m => m.Label == "v2 pruned+distilled");
        var original = summary.Models.Count > 0 ? summary.Models[0] : null;
        if (original is not null && v1 is not null && v2 is not null)
        {
            table.AddRow("original (fp32)", $"{original.Bytes:N0} B, p50 {Ms(original.P50Ms)}, top-1 {Percent(original.Top1)}");
            table.AddRow($"v1 ({Markup.Escape(summary.V1Candidate ?? "?")}, chosen by auto)", $"{v1.Bytes:N0} B ({Ratio(v1.Bytes, original.Bytes)}), p50 {Ms(v1.P50Ms)} ({Ratio(v1.P50Ms, original.P50Ms)}), top-1 {Percent(v1.Top1)}");
            table.AddRow("v2 pruned+distilled", $"{v2.Bytes:N0} B ({Ratio(v2.Bytes, original.Bytes)}), p50 {Ms(v2.P50Ms)} ({Ratio(v2.P50Ms, original.P50Ms)}), top-1 {Percent(v2.Top1)}");
        }

        foreach (var rollout in summary.Rollouts)
        {
            var states = string.Join(", ", rollout.Devices.Select(d => $"{d.Device} (wave {d.Wave}) {d.State}"));
            table.AddRow($"rollout {rollout.Version}", Markup.Escape($"{rollout.State} in {rollout.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s: {states}"));
        }

        if (summary.Swaps.Count > 0)
        {
            var failed = summary.Swaps.Sum(s => s["window_failed"]!.GetValue<int>());
            var calls = summary.Swaps.Sum(s => s["window_calls"]!.GetValue<int>());
            var slowest = summary.Swaps.Max(s => s["window_max_ms"]!.GetValue<double>());
            table.AddRow("hot swap 1.0.0 -> 2.0.0", $"{summary.Swaps.Count} devices, {calls} calls within 1 s of a switch, {failed} failed, slowest {Ms(slowest)}");
        }

        table.AddRow("health gate on v3", Markup.Escape(summary.GateVerdict ?? "(not reached)"));
        table.AddRow("shadow on v3.1", Markup.Escape(summary.ShadowVerdict ?? "(not reached)"));
        table.AddRow("telemetry", Markup.Escape($"{summary.TelemetryRecords} records; calls by version: {string.Join(", ", summary.TelemetryCallsByVersion.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value:N0}"))}"));
        foreach (var device in summary.Devices)
        {
            table.AddRow(Markup.Escape($"app on {device["device"]}"), Markup.Escape($"serving {device["served"]}; " + AppCounts(device)));
        }

        table.AddRow("wall time", $"{summary.WallSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        console.Write(table);
    }

    private static string AppCounts(JsonObject device) =>
        string.Join("; ", device["versions"]!.AsArray().Select(v =>
        {
            var calls = v!["calls"]!.GetValue<long>();
            var correct = v["correct"]!.GetValue<long>();
            return $"{v["version"]}: {calls:N0} calls, {(calls == 0 ? 0 : 100.0 * correct / calls):0.0}% correct, {v["failed"]} failed";
        }));

    private static string Ms(double value) => value.ToString(value < 1 ? "0.000" : "0.00", CultureInfo.InvariantCulture) + " ms";

    private static string Percent(double value) => double.IsNaN(value) ? "n/a" : (value * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static string Ratio(double value, double baseline) => (value / baseline).ToString("0.00", CultureInfo.InvariantCulture) + "x";
}
