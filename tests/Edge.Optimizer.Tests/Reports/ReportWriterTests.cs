using System.Text.Json.Nodes;
using Edge.Optimizer.Reports;

namespace Edge.Optimizer.Tests.Reports;

public sealed class ReportWriterTests
{
    [Fact]
    public async Task WriteAsync_NestedReport_WritesJsonAndMarkdownTables()
    {
        using var folder = new TemporaryFolder();
        var report = new JsonObject
        {
            ["mode"] = "static",
            ["size"] = new JsonObject { ["before_bytes"] = 100, ["after_bytes"] = 27, ["ratio"] = 0.27 },
            ["layers"] = new JsonArray(
                new JsonObject { ["tensor"] = "conv1", ["sqnr_db"] = 18.5, ["detail"] = new JsonObject { ["op"] = "Conv" } },
                new JsonObject { ["tensor"] = "a|b", ["cosine"] = 0.99 }),
            ["float_nodes"] = new JsonArray(),
        };

        var (json, markdown) = await ReportWriter.WriteAsync(report, "Report", Path.Combine(folder.Path, "out", "report.json"), CancellationToken.None);

        Assert.Equal("static", (string?)JsonNode.Parse(await File.ReadAllTextAsync(json))!["mode"]);
        var text = await File.ReadAllTextAsync(markdown);
        Assert.EndsWith("report.md", markdown, StringComparison.Ordinal);
        Assert.Contains("| mode | static |", text, StringComparison.Ordinal);
        Assert.Contains("| before_bytes | 100 |", text, StringComparison.Ordinal);
        Assert.Contains("| tensor | sqnr_db | detail.op | cosine |", text, StringComparison.Ordinal);
        Assert.Contains("| conv1 | 18.5 | Conv |  |", text, StringComparison.Ordinal);
        Assert.Contains("a\\|b", text, StringComparison.Ordinal);
        Assert.Contains("| float_nodes | (none) |", text, StringComparison.Ordinal);
    }
}
