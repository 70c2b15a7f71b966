using System.Text.Json.Nodes;
using Edge.Optimizer.Evaluation;
using Edge.Optimizer.Pipeline;
using Edge.Optimizer.Search;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Search;

public sealed class AutoSearchTests
{
    private static string Mnist => TestData.File("models/mnist/mnist.onnx");

    private static string MnistData(int from, int to) => $"mnist:{TestData.Directory("datasets/mnist")}@{from}:{to}";

    [Fact]
    public void Choose_FasterAccurateCandidate_WinsOverTheOriginal()
    {
        var outcomes = new[] { Measured("fp32", 1.0, 0), Measured("static-a", 0.6, 0.5), Measured("static-b", 0.5, 0.8), Inaccurate("static-c", 2.5) };

        var (chosen, why) = AutoSearch.Choose(outcomes, Options());

        Assert.Equal("static-b", chosen.Candidate.Name);
        Assert.Contains("0.5x", why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.3)]
    [InlineData(0.99)]
    public void Choose_NothingClearlyFaster_AnswersTheOriginal(double ratio)
    {
        var outcomes = new[] { Measured("fp32", 1.0, 0), Measured("static-a", ratio, 0.2) };

        var (chosen, why) = AutoSearch.Choose(outcomes, Options());

        Assert.Equal("fp32", chosen.Candidate.Name);
        Assert.Contains("the answer is the original model", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_EveryCandidateTooInaccurate_AnswersTheOriginalSayingSo()
    {
        var outcomes = new[] { Measured("fp32", 1.0, 0), Inaccurate("static-a", 4), Inaccurate("static-b", 3) };

        var (chosen, why) = AutoSearch.Choose(outcomes, Options());

        Assert.Equal("fp32", chosen.Candidate.Name);
        Assert.StartsWith("No candidate kept accuracy within 1 points (2 tried)", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_BudgetSpentBeforeAnyCandidate_AnswersTheOriginalWithANote()
    {
        var outcomes = new[] { Measured("fp32", 1.0, 0), new CandidateOutcome(new Candidate("static-a", "a", []), CandidateStatus.OverBudget) };

        var (chosen, why) = AutoSearch.Choose(outcomes, new AutoOptions { ModelPath = "/m.onnx", OutputPath = "/o.onnx", Eval = "mnist:/d", BudgetMinutes = 0.5 });

        Assert.Equal("fp32", chosen.Candidate.Name);
        Assert.StartsWith("The 0.5 minute budget was spent before any candidate was built", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_OnlyTheOriginal_SaysNothingElseWasTried()
    {
        var (chosen, why) = AutoSearch.Choose([Measured("fp32", 1.0, 0)], Options());

        Assert.Equal("fp32", chosen.Candidate.Name);
        Assert.StartsWith("No other candidate was asked for or fits", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_WithoutCalibrationSet_CutsTheFrontOffTheEvalSet()
    {
        var (calibration, judging) = AutoSearch.Split(new AutoOptions { ModelPath = Mnist, OutputPath = "/tmp/x.onnx", Eval = MnistData(200, 700), CalibrationSamples = 100 });

        Assert.Equal((200, 300), (calibration.From, calibration.To));
        Assert.Equal((300, 700), (judging.From, judging.To));
    }

    [Theory]
    [InlineData(double.NaN, "--max-accuracy-drop must be a finite number")]
    [InlineData(-1.0, "--max-accuracy-drop must be a finite number")]
    public void Validate_BadDrop_NamesIt(double drop, string expected)
    {
        var errors = new AutoOptions { ModelPath = Mnist, OutputPath = "/tmp/x.onnx", Eval = "mnist:/d", MaxAccuracyDrop = drop, Target = "device:pi-7", Candidates = ["static-fast"] }.Validate();

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("--target device:pi-7 needs the fleet's broker, --fleet, --job-key and --sign-key", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("unknown candidate(s) static-fast", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_Mnist_MeasuresEveryAccurateCandidateBesideTheOriginalAndNeverPicksASlowerOne()
    {
        using var folder = new TemporaryFolder();
        var options = new AutoOptions
        {
            ModelPath = Mnist,
            OutputPath = Path.Combine(folder.Path, "auto.onnx"),
            Eval = MnistData(0, 400),
            CalibrationSamples = 50,
            Candidates = ["static-u8s8-tensor-minmax", "static-u8s8-channel-minmax", "dynamic-int8", "fp16"],
            LatencyRuns = 30,
            WarmupRuns = 3,
        };

        var result = await new AutoSearch(PipelineRunner.Default, TimeProvider.System).RunAsync(options, PassContext.Silent, CancellationToken.None);

        Assert.Equal("fp32", result.Outcomes[0].Candidate.Name);
        Assert.Equal(["fp32", "static-u8s8-tensor-minmax", "static-u8s8-channel-minmax", "fp16", "dynamic-int8"], result.Outcomes.Select(o => o.Candidate.Name));
        Assert.Equal(CandidateStatus.Skipped, result.Outcomes.Single(o => o.Candidate.Name == "fp16").Status);
        var measured = result.Outcomes.Where(o => o.Status == CandidateStatus.Measured).ToList();
        Assert.True(measured.Count >= 2, "the int8 candidates keep MNIST's accuracy");
        Assert.All(measured, o => Assert.Equal(30, o.Latency!.Runs));
        Assert.All(measured, o => Assert.True(File.Exists(o.Path)));
        Assert.Equal(1.0, result.Outcomes[0].P50Ratio);
        Assert.True(result.Chosen.P50Ratio < 1 - options.SpeedMargin || result.Chosen.Candidate.Name == "fp32", $"chose {result.Chosen.Candidate.Name} at {result.Chosen.P50Ratio}");
        Assert.Equal("mnist", Path.GetFileName(Path.GetDirectoryName(DatasetSpecPath(result.JudgingSet))));
    }

    [Fact]
    public async Task Cli_Auto_WritesTheChoiceTheTableAndTheTradeOffPlot()
    {
        using var folder = new TemporaryFolder();
        var output = Path.Combine(folder.Path, "auto.onnx");
        var report = Path.Combine(folder.Path, "auto.json");

        var (code, stdout, stderr) = await CliRunner.RunAsync("auto", Mnist, "--eval", MnistData(0, 300), "--calibration-samples", "50",
            "--candidates", "static-u8s8-tensor-minmax", "--latency-runs", "20", "-o", output, "--report", report);

        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(output));
        Assert.Contains("| fp32 |", stdout, StringComparison.Ordinal);
        Assert.Contains("why       ", stdout, StringComparison.Ordinal);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(report))!;
        Assert.Equal("edge.auto-report/v1", (string?)json["schema"]);
        var chosen = (string)json["chosen"]!;
        Assert.Equal(chosen == "fp32", !File.Exists(output + ".recipe.json"));
        Assert.Equal(2, json["candidates"]!.AsArray().Count);
        Assert.True(File.Exists(Path.Combine(folder.Path, "auto.tradeoff.svg")));
    }

    [Fact]
    public async Task Cli_Auto_AllowPrune_PrunesThenDistillsFromTheOriginal_JudgedLikeAnyCandidate()
    {
        using var folder = new TemporaryFolder();
        var report = Path.Combine(folder.Path, "auto.json");

        var (code, stdout, stderr) = await CliRunner.RunAsync("auto", Mnist, "--eval", MnistData(0, 400), "--allow-prune", "--train", MnistData(1000, 4000),
            "--distill-epochs", "1", "--candidates", "prune-channel-25", "--latency-runs", "20", "--threads", "1", "-o", Path.Combine(folder.Path, "auto.onnx"), "--report", report);

        Assert.True(code == 0, stdout + stderr);
        var pruned = JsonNode.Parse(await File.ReadAllTextAsync(report))!["candidates"]!.AsArray().Single(c => (string?)c!["name"] == "prune-channel-25")!;
        Assert.Equal(["prune", "distill"], pruned["recipe"]!.AsArray().Select(s => (string)s!["pass"]!));
        Assert.Contains((string)pruned["status"]!, new[] { "measured", "too inaccurate" });
        Assert.True((long)pruned["bytes"]! < new FileInfo(Mnist).Length, "a quarter of the channels were removed");
        Assert.NotNull(pruned["top1"]);
    }

    [Theory]
    [InlineData("--allow-prune", "true", "--allow-prune needs --train DATASET")]
    [InlineData("--max-accuracy-drop", "NaN", "--max-accuracy-drop must be a finite number")]
    [InlineData("--target", "group:lab", "--fleet is required for a device or group target")]
    [InlineData("--target", "gadget:x", "--target 'gadget:x' is not local, device:ID or group:NAME")]
    [InlineData("--target", "device:a/b", "--target 'device:a/b' names no device")]
    public async Task Cli_Auto_BadOption_Exit2WithOneLine(string option, string value, string expected)
    {
        using var folder = new TemporaryFolder();

        var (code, _, stderr) = await CliRunner.RunAsync("auto", Mnist, "--eval", MnistData(0, 300), option, value, "-o", Path.Combine(folder.Path, "a.onnx"));

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_Auto_EvalSetThatDoesNotFitTheModel_Exit2()
    {
        using var folder = new TemporaryFolder();

        var (code, _, stderr) = await CliRunner.RunAsync("auto", Mnist, "--eval", $"images:{TestData.Directory("datasets/imagenet-sample-500")}@0:120",
            "--calibration-samples", "100", "-o", Path.Combine(folder.Path, "a.onnx"));

        Assert.Equal(2, code);
        var errors = stderr.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.Single(errors);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Path, "a.onnx")));
    }

    private static string DatasetSpecPath(string spec) => Edge.Optimizer.Data.DatasetSpec.Parse(spec).Path + "/x";

    private static AutoOptions Options() => new() { ModelPath = "/m.onnx", OutputPath = "/o.onnx", Eval = "mnist:/d", MaxAccuracyDrop = 1 };

    private static CandidateOutcome Measured(string name, double ratio, double drop) =>
        new(new Candidate(name, name, []), CandidateStatus.Measured)
        {
            DropPoints = drop,
            P50Ratio = ratio,
            Latency = LatencyStats.From([ratio, ratio, ratio]),
        };

    private static CandidateOutcome Inaccurate(string name, double drop) =>
        new(new Candidate(name, name, [new RecipeStep("quantize", new JsonObject())]), CandidateStatus.TooInaccurate) { DropPoints = drop };
}
