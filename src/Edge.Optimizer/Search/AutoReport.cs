using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Edge.Optimizer.Reports;
using Edge.Optimizer.Reports.Charts;

namespace Edge.Optimizer.Search;

/// <summary>
/// The search's report: <c>edge.auto-report/v1</c> JSON, Markdown beside it (the choice and why, then every candidate)
/// and the latency-against-accuracy plot with the Pareto front and the choice.
/// </summary>
internal static class AutoReport
{
    public const string Schema = "edge.auto-report/v1";

    public static JsonObject Build(AutoResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new JsonObject
        {
            ["schema"] = Schema,
            ["model"] = result.Options.ModelPath,
            ["output"] = result.Options.OutputPath,
            ["chosen"] = result.Chosen.Candidate.Name,
            ["why"] = result.Why,
            ["target"] = result.Options.Target,
            ["latency_measured_on"] = result.LatencySource,
            ["notes"] = new JsonArray([.. result.Notes.Select(n => (JsonNode)JsonValue.Create(n)!)]),
            ["max_accuracy_drop"] = result.Options.MaxAccuracyDrop,
            ["min_agreement"] = result.Options.MinAgreement,
            ["calibration"] = result.CalibrationSet,
            ["judging"] = result.JudgingSet,
            ["judged_by"] = result.Judged,
            ["threads"] = result.Options.Threads,
            ["latency_runs"] = result.Options.LatencyRuns,
            ["seconds"] = Math.Round(result.Seconds, 1),
            ["candidates"] = new JsonArray([.. result.Outcomes.Select(o => (JsonNode)Row(o, ReferenceEquals(o, result.Chosen)))]),
        };
    }

    /// <summary>Writes the JSON, the Markdown and the plot; returns the files written.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(AutoResult result, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var json = Path.GetFullPath(path);
        var stem = Path.Combine(Path.GetDirectoryName(json)!, Path.GetFileNameWithoutExtension(json));
        Directory.CreateDirectory(Path.GetDirectoryName(json)!);
        var files = new List<string> { json, stem + ".md" };
        var points = result.Outcomes.Where(o => o.P50Ratio is not null && o.DropPoints is not null)
            .Select(o => new TradeOffPoint(o.Candidate.Name, o.P50Ratio!.Value, o.DropPoints!.Value, ReferenceEquals(o, result.Chosen))).ToList();
        string? plot = null;
        if (points.Count > 0)
        {
            plot = stem + ".tradeoff.svg";
            await TradeOffChart.WriteAsync(points, result.Options.MaxAccuracyDrop, plot, cancellationToken, "Candidates: latency against accuracy (lower left is better)");
            files.Add(plot);
        }

        var document = Build(result);
        document["plot"] = plot is null ? null : Path.GetFileName(plot);
        await File.WriteAllTextAsync(json, ReportJson.Write(document), cancellationToken);
        await File.WriteAllTextAsync(stem + ".md", Markdown(result, plot), cancellationToken);
        return files;
    }

    public static string Markdown(AutoResult result, string? plot)
    {
        ArgumentNullException.ThrowIfNull(result);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"# edge-optimize auto: {Path.GetFileName(result.Options.ModelPath)}\n\n");
        text.Append(c, $"**Chosen: {result.Chosen.Candidate.Name}.** {result.Why}\n\n");
        text.Append(c, $"Target `{result.Options.Target}`, latency measured on {result.LatencySource}, {result.Options.LatencyRuns} latency runs per model{(result.LatencySource.StartsWith("this machine", StringComparison.Ordinal) ? $" at {result.Options.Threads} threads, interleaved" : " with each device's own settings, beside the model it serves")}; ");
        text.Append(c, $"accuracy judged by {result.Judged} on `{result.JudgingSet}`, calibration on `{result.CalibrationSet}`; {result.Seconds:0.#} s.\n\n");
        foreach (var note in result.Notes)
        {
            text.Append(c, $"> {note}\n\n");
        }

        text.Append(Table(result));
        if (plot is not null)
        {
            text.Append(c, $"\n![Latency against accuracy]({Path.GetFileName(plot)})\n");
        }

        return text.ToString();
    }

    /// <summary>The candidate table as Markdown (also what the CLI prints).</summary>
    public static string Table(AutoResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder("| candidate | status | size (bytes) | p50 ms | p50 ratio | top-1 | agreement | drop (points) | note |\n|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        foreach (var o in result.Outcomes)
        {
            var status = ReferenceEquals(o, result.Chosen) ? "**chosen**" : Status(o.Status);
            text.Append(c, $"| {o.Candidate.Name} | {status} | {(o.Bytes is { } b ? b.ToString("N0", c) : "—")} | {(o.P50Ms is { } l ? l.ToString("0.###", c) : "—")} | ");
            text.Append(c, $"{(o.P50Ratio is { } r ? r.ToString("0.###", c) + "x" : "—")} | {Percent(o.Top1)} | {Percent(o.Agreement)} | {(o.DropPoints is { } d ? d.ToString("0.##", c) : "—")} | {(o.Reason ?? o.Candidate.Description).Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }

        return text.ToString();
    }

    private static JsonObject Row(CandidateOutcome o, bool chosen) => new()
    {
        ["name"] = o.Candidate.Name,
        ["description"] = o.Candidate.Description,
        ["status"] = Status(o.Status),
        ["chosen"] = chosen,
        ["path"] = o.Path,
        ["bytes"] = o.Bytes,
        ["p50_ms"] = o.P50Ms is { } l ? Math.Round(l, 4) : null,
        ["p95_ms"] = o.P95Ms is { } p ? Math.Round(p, 4) : null,
        ["p50_ratio"] = o.P50Ratio,
        ["devices"] = new JsonArray([.. o.Devices.Select(d => (JsonNode)new JsonObject
        {
            ["device"] = d.Device,
            ["hardware_class"] = d.Hardware.Key,
            ["cpu"] = d.Hardware.CpuModel,
            ["provider"] = d.Provider,
            ["runs"] = d.Runs,
            ["p50_ms"] = d.P50Ms,
            ["p95_ms"] = d.P95Ms,
            ["ratio_to_original"] = d.RatioToOriginal,
            ["baseline"] = $"{d.Baseline.Name} {d.Baseline.Version}",
            ["baseline_p50_ms"] = d.BaselineP50Ms,
            ["measured_utc"] = d.MeasuredUtc.ToString("O", CultureInfo.InvariantCulture),
        })]),
        ["top1"] = o.Top1,
        ["agreement"] = o.Agreement,
        ["drop_points"] = o.DropPoints,
        ["reason"] = o.Reason,
        ["seconds"] = Math.Round(o.Seconds, 2),
        ["recipe"] = new JsonArray([.. o.Candidate.Steps.Select(s => (JsonNode)new JsonObject { ["pass"] = s.Pass, ["options"] = s.Options.DeepClone() })]),
    };

    private static string Status(CandidateStatus status) => status switch
    {
        CandidateStatus.Measured => "measured",
        CandidateStatus.TooInaccurate => "too inaccurate",
        CandidateStatus.OverBudget => "over budget",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string Percent(double? value) => value is { } v ? (100 * v).ToString("0.##", CultureInfo.InvariantCulture) + "%" : "—";
}
