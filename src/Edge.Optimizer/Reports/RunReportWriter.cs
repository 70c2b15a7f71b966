using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Edge.Optimizer.Passes.Prune.Reporting;
using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Reports;

/// <summary>
/// Writes a run's report: <c>report.json</c>, <c>report.md</c> beside it, and the plots the Markdown shows
/// (<c>report.&lt;name&gt;.svg</c>). The Markdown opens with the verdict and the summary table, then the plots, then
/// one section per step.
/// </summary>
internal static class RunReportWriter
{
    /// <summary>Writes the report; <paramref name="path"/> names the JSON (a <c>.md</c> path names the Markdown). Returns every file written.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(PipelineResult result, string? recipePath, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var full = Path.GetFullPath(path);
        var json = Path.GetExtension(full).Equals(".md", StringComparison.OrdinalIgnoreCase) ? Path.ChangeExtension(full, ".json") : full;
        var stem = Path.Combine(Path.GetDirectoryName(json)!, Path.GetFileNameWithoutExtension(json));
        Directory.CreateDirectory(Path.GetDirectoryName(json)!);
        var document = RunReport.Build(result, recipePath);
        var plots = await RunPlots.WriteAsync(result, stem, cancellationToken);
        document["plots"] = new JsonObject(plots.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)Path.GetFileName(p.Path))));
        await File.WriteAllTextAsync(json, ReportJson.Write(document), cancellationToken);
        var markdown = stem + ".md";
        await File.WriteAllTextAsync(markdown, Markdown(result, document, plots), cancellationToken);
        return [json, markdown, .. plots.Select(p => p.Path)];
    }

    public static string Markdown(PipelineResult result, JsonObject document, IReadOnlyList<RunPlot> plots)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(document);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        var steps = string.Join(" → ", result.Steps.Select(s => s.Pass));
        text.Append(c, $"# Optimization report: {Path.GetFileName(result.Recipe.Input)} → {steps}\n\n");
        text.Append(c, $"**{document["verdict"]}**\n\n");
        text.Append(c, $"Input `{result.Recipe.Input}`, output `{result.Recipe.Output}`");
        text.Append(document["recipe"] is { } recipe ? $", recipe `{recipe}`" : "").Append(".\n");
        if (result.FromStep > 1)
        {
            text.Append(c, $"Resumed at step {result.FromStep}; earlier steps' models were read from the last run.\n");
        }

        text.Append(c, $"Figures: {document["measured"]}.\n\n");
        text.Append("| model | size (bytes) | size ratio | p50 ms | p95 ms | p50 ratio | top-1 | agreement |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        var original = result.Models[0];
        foreach (var model in result.Models)
        {
            text.Append(c, $"| {model.Label} | {model.Bytes:N0} | {(double)model.Bytes / original.Bytes:0.###}x | {Ms(model.Latency?.P50Ms)} | {Ms(model.Latency?.P95Ms)} | ");
            text.Append(model.Latency is { } l && original.Latency is { } o ? string.Create(c, $"{l.P50Ms / o.P50Ms:0.###}x") : "—");
            text.Append(c, $" | {Percent(model.Top1)} | {Percent(model.Agreement)} |\n");
        }

        text.AppendLine();
        foreach (var plot in plots)
        {
            text.Append(c, $"![{plot.Title}]({Path.GetFileName(plot.Path)})\n\n");
        }

        var warnings = result.Warnings.ToList();
        if (warnings.Count > 0)
        {
            text.Append("## Warnings\n\n");
            warnings.ForEach(w => text.Append("- ").Append(w).Append('\n'));
            text.AppendLine();
        }

        foreach (var step in result.Steps)
        {
            text.Append(c, $"## Step {step.Index}: {step.Pass}\n\n");
            text.Append(c, $"Output `{step.OutputPath}`.\n\n");
            if (step.Result is null)
            {
                text.Append("Done in an earlier run (resumed after it).\n\n");
                continue;
            }

            var section = step.Result.Report;
            if (step.Pass == "prune")
            {
                // Prune writes its own readable section; its headings move one level down under the step's.
                text.Append(Demote(PruneReportWriter.Markdown(section, plotName: null))).AppendLine();
            }
            else
            {
                ReportWriter.AppendSection(text, section, 3);
            }
        }

        return text.ToString();
    }

    private static string Demote(string markdown) =>
        string.Join('\n', markdown.Split('\n').Skip(1).Select(l => l.StartsWith('#') ? "##" + l : l));

    private static string Ms(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "—";

    private static string Percent(double? value) => value is { } v ? (100 * v).ToString("0.##", CultureInfo.InvariantCulture) + "%" : "—";
}
