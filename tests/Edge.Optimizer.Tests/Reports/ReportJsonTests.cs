using System.Text.Json.Nodes;
using Edge.Optimizer.Passes.Prune.Reporting;
using Edge.Optimizer.Reports;

namespace Edge.Optimizer.Tests.Reports;

/// <summary>JSON has no NaN or infinity: every report writer turns them into null plus a named reason.</summary>
public sealed class ReportJsonTests
{
    private sealed record Figures(double MeanLoss, float Ratio, double? Missing);

    [Fact]
    public void Write_NonFiniteNumbers_BecomeNullWithTheirNameBeside()
    {
        var report = new JsonObject
        {
            ["sqnr_db"] = double.PositiveInfinity,
            ["drop"] = double.NaN,
            ["floor"] = float.NegativeInfinity,
            ["fine"] = 1.5,
            ["layers"] = new JsonArray(new JsonObject { ["sqnr_db"] = double.PositiveInfinity }, double.NaN, 2.0),
        };

        var written = JsonNode.Parse(ReportJson.Write(report))!;

        Assert.Null(written["sqnr_db"]);
        Assert.Equal("Infinity", (string?)written["sqnr_db_nonfinite"]);
        Assert.Equal("NaN", (string?)written["drop_nonfinite"]);
        Assert.Equal("-Infinity", (string?)written["floor_nonfinite"]);
        Assert.Equal(1.5, (double)written["fine"]!);
        Assert.False(written.AsObject().ContainsKey("fine_nonfinite"));
        Assert.Equal("Infinity", (string?)written["layers"]![0]!["sqnr_db_nonfinite"]);
        Assert.Null(written["layers"]![1]);
        Assert.Equal(2.0, (double)written["layers"]![2]!);
        Assert.True(double.IsPositiveInfinity((double)report["sqnr_db"]!), "the caller's tree must not change");
    }

    [Fact]
    public void ToNode_RecordWithNonFiniteFields_UsesSnakeCaseAndNullWithReason()
    {
        var node = ReportJson.ToNode(new Figures(double.NaN, float.PositiveInfinity, null))!;

        Assert.Null(node["mean_loss"]);
        Assert.Equal("NaN", (string?)node["mean_loss_nonfinite"]);
        Assert.Equal("Infinity", (string?)node["ratio_nonfinite"]);
        Assert.True(node.AsObject().ContainsKey("missing"));
        Assert.False(node.AsObject().ContainsKey("missing_nonfinite"));
    }

    [Fact]
    public async Task ReportWriter_QuantizeLayerWithInfiniteSqnr_WritesJsonAndMarkdown()
    {
        using var folder = new TemporaryFolder();
        var report = new JsonObject { ["layers"] = new JsonArray(new JsonObject { ["tensor"] = "exact", ["sqnr_db"] = double.PositiveInfinity }) };

        var (json, markdown) = await ReportWriter.WriteAsync(report, "Quantize", Path.Combine(folder.Path, "q.json"), CancellationToken.None);

        Assert.Equal("Infinity", (string?)JsonNode.Parse(await File.ReadAllTextAsync(json))!["layers"]![0]!["sqnr_db_nonfinite"]);
        Assert.Contains("| exact |", await File.ReadAllTextAsync(markdown), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PruneReportWriter_NaNAccuracyDrop_WritesTheReport()
    {
        using var folder = new TemporaryFolder();
        var report = new JsonObject { ["accuracy"] = new JsonObject { ["drop_points"] = double.NaN } };

        var files = await PruneReportWriter.WriteAsync(Path.Combine(folder.Path, "prune.json"), report, CancellationToken.None);

        var written = JsonNode.Parse(await File.ReadAllTextAsync(files[0]))!;
        Assert.Equal("NaN", (string?)written["accuracy"]!["drop_points_nonfinite"]);
    }
}
