using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Edge.Optimizer.Reports;
using Edge.Optimizer.Reports.Charts;

namespace Edge.Optimizer.Passes.Prune.Reporting;

/// <summary>
/// Writes the prune report as JSON (<c>edge.prune-report/v1</c>) and, beside it, Markdown for people; with
/// sensitivity analysis also an SVG plot of the curves (<see cref="SensitivityChart"/>) that the Markdown embeds.
/// </summary>
internal static class PruneReportWriter
{
    public const string Schema = "edge.prune-report/v1";

    /// <summary>Writes <paramref name="path"/> (JSON) and the same name with <c>.md</c> (and <c>.sensitivity.svg</c>); returns the files written.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(string path, JsonObject report, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var stem = Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full));
        var files = new List<string> { full };
        var document = new JsonObject { ["schema"] = Schema };
        foreach (var (key, value) in report)
        {
            document[key] = value?.DeepClone();
        }

        ReportJson.Finite(document);

        string? plotName = null;
        if (report["sensitivity"] is JsonObject sensitivity)
        {
            var plotPath = stem + ".sensitivity.svg";
            plotName = Path.GetFileName(plotPath);
            await WriteSensitivityPlotAsync(report, plotPath, cancellationToken);
            document["sensitivity"]!["plot"] = plotName;
            files.Add(plotPath);
        }

        await File.WriteAllTextAsync(full, ReportJson.Write(document), cancellationToken);
        var markdownPath = stem + ".md";
        await File.WriteAllTextAsync(markdownPath, Markdown(document, plotName), cancellationToken);
        files.Add(markdownPath);
        return files;
    }

    /// <summary>Draws the sensitivity curves of a report that has them, with its accuracy budget; false when it has none.</summary>
    public static async Task<bool> WriteSensitivityPlotAsync(JsonObject report, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report["sensitivity"] is not JsonObject sensitivity)
        {
            return false;
        }

        await SensitivityChart.WriteAsync(Lines(sensitivity), Budget(report), path, cancellationToken);
        return true;
    }

    public static string Markdown(JsonObject report, string? plotName)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"# Prune report ({report["method"]})\n\n");
        if (report["input"] is { } input)
        {
            text.Append(c, $"Input `{input}`, output `{report["output"]}`.\n\n");
        }

        text.Append("| measure | original | pruned | ratio |\n|---|---:|---:|---:|\n");
        Row(text, "MACs", report["macs"]?["original"], report["macs"]?["pruned"], report["macs"]?["ratio"]);
        Row(text, "model bytes", report["size"]?["original_bytes"], report["size"]?["pruned_bytes"], report["size"]?["bytes_ratio"]);
        Row(text, "gzip bytes", report["size"]?["original_gzip_bytes"], report["size"]?["pruned_gzip_bytes"], report["size"]?["gzip_ratio"]);
        if (report["latency"] is JsonObject latency)
        {
            Row(text, $"p50 latency ms ({latency["threads"]} threads)", latency["original_p50_ms"], latency["pruned_p50_ms"], latency["p50_ratio"]);
            Row(text, "p95 latency ms", latency["original_p95_ms"], latency["pruned_p95_ms"], null);
        }

        if (report["accuracy"] is JsonObject accuracy)
        {
            Row(text, $"top-1 on {accuracy["dataset"]}", accuracy["original_top1"], accuracy["pruned_top1"], null);
            text.Append(c, $"\nTop-1 agreement with the original: {Number(accuracy["top1_agreement_with_original"])}. {accuracy["note"]}\n");
        }

        text.Append(c, $"\n{report["size"]?["note"]}\n");
        if (report["groups"] is JsonArray groups)
        {
            text.Append(c, $"\nChannel sparsity over prunable groups: {Number(report["channel_sparsity"])}.\n\n| layers | channels | kept | note |\n|---|---:|---:|---|\n");
            foreach (var group in groups.OfType<JsonObject>())
            {
                var layers = string.Join(", ", group["layers"]!.AsArray().Select(l => (string?)l));
                text.Append(c, $"| {Escape(layers)} | {group["channels"]} | {group["kept"]} | {Escape((string?)group["note"] ?? "")} |\n");
            }
        }

        if (report["layers"] is JsonArray layerRows)
        {
            text.Append(c, $"\nSparsity over targeted layers: {Number(report["targeted_sparsity"])}.\n\n| layer | op | parameters | sparsity | note |\n|---|---|---:|---:|---|\n");
            foreach (var row in layerRows.OfType<JsonObject>())
            {
                text.Append(c, $"| {Escape((string?)row["layer"] ?? "")} | {row["op"]} | {row["parameters"]} | {Number(row["sparsity"])} | {Escape((string?)row["note"] ?? "")} |\n");
            }
        }

        if (report["sensitivity"] is JsonObject sensitivity)
        {
            text.Append(c, $"\n## Sensitivity\n\n{sensitivity["note"]}\n\n");
            if (plotName is not null)
            {
                text.Append(c, $"![sensitivity curves]({plotName})\n\n");
            }

            var curves = sensitivity["curves"]!.AsArray().OfType<JsonObject>().ToList();
            var ratios = curves.FirstOrDefault()?["points"]!.AsArray().Select(p => (double)p!["ratio"]!).ToList() ?? [];
            text.Append("| unit | size | " + string.Join(" | ", ratios.Select(r => $"drop at {r.ToString("P0", c)}")) + " | chosen |\n");
            text.Append("|---|---:|" + string.Concat(ratios.Select(_ => "---:|")) + "---:|\n");
            foreach (var curve in curves)
            {
                var drops = curve["points"]!.AsArray().Select(p => ((double)p!["drop"]!).ToString("F2", c));
                text.Append(c, $"| {Escape((string?)curve["unit"] ?? "")} | {curve["size"]} | {string.Join(" | ", drops)} | {Number(curve["chosen_ratio"])} |\n");
            }
        }

        if (report["warnings"] is JsonArray { Count: > 0 } warnings)
        {
            text.Append("\n## Warnings\n\n");
            foreach (var warning in warnings)
            {
                text.Append(c, $"- {warning}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>The curves as the chart takes them, each starting at the unpruned model (ratio 0, no drop).</summary>
    private static List<SensitivityLine> Lines(JsonObject sensitivity) =>
    [
        .. sensitivity["curves"]!.AsArray().OfType<JsonObject>().Select(curve => new SensitivityLine(
            (string)curve["unit"]!,
            [new RatioDrop(0, 0), .. curve["points"]!.AsArray().Select(p => new RatioDrop((double)p!["ratio"]!, (double)p["drop"]!))])),
    ];

    /// <summary>The accuracy budget in points from the recorded options, when the run had one.</summary>
    private static double? Budget(JsonObject report) =>
        report["options"]?["max_accuracy_drop"] is JsonValue value && value.TryGetValue<double>(out var points) && double.IsFinite(points) ? points : null;

    private static void Row(StringBuilder text, string name, JsonNode? original, JsonNode? pruned, JsonNode? ratio) =>
        text.Append(CultureInfo.InvariantCulture, $"| {name} | {Number(original)} | {Number(pruned)} | {Number(ratio)} |\n");

    private static string Number(JsonNode? node) => node switch
    {
        null => "–",
        JsonValue value when value.TryGetValue<long>(out var integer) => integer.ToString("N0", CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<double>(out var real) => real.ToString(Math.Abs(real) < 10 ? "0.####" : "0.##", CultureInfo.InvariantCulture),
        _ => node.ToString(),
    };

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
