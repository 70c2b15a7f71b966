using System.Text.Json.Nodes;
using Edge.Optimizer.Tests.Passes.Distill.Interpreter;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Cli.Commands;

public sealed class DistillCommandTests
{
    private static string Mnist(int first, int end) => $"mnist:{TestData.Directory("datasets/mnist")}@{first}:{end}";

    [Fact]
    public async Task Distill_UnsupportedStudentOp_FailsBeforeTrainingNamingOpAndNode()
    {
        using var folder = new TemporaryFolder();
        var m = new TinyModel();
        var flat = m.Op("Flatten", [m.Input([1, 1, 28, 28])]);
        var scores = m.Op("Gemm", [flat, m.Floats([784, 10])]);
        var student = Path.Combine(folder.Path, "student.onnx");
        m.Build(m.Node("Erf", [scores], name: "odd_erf")[0]).Save(student);
        var output = Path.Combine(folder.Path, "out.onnx");

        var (exitCode, _, error) = await CliRunner.RunAsync("distill", "--teacher", TestData.File("models/mnist/mnist.onnx"), "--student", student,
            "-o", output, "--data", Mnist(0, 64));

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("'odd_erf' (Erf)", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
        Assert.False(Directory.Exists(output + ".checkpoint"));
    }

    [Fact]
    public async Task Distill_StudentAndWidthTogether_FailsWithUsage()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("distill", "--teacher", "t.onnx", "--student", "s.onnx", "--width", "0.5", "-o", "o.onnx", "--data", "mnist:x");

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("exactly one of --student", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Distill_WidthHalf_WritesModelRecipeReportAndEpochLines()
    {
        using var folder = new TemporaryFolder();
        var output = Path.Combine(folder.Path, "student.onnx");
        var report = Path.Combine(folder.Path, "report.json");

        var (exitCode, stdout, error) = await CliRunner.RunAsync("distill", "--teacher", TestData.File("models/mnist/mnist.onnx"), "--width", "0.5",
            "-o", output, "--data", Mnist(0, 128), "--eval", Mnist(5000, 5100), "--epochs", "2", "--labels", "--optimizer", "sgd", "--report", report);

        Assert.True(exitCode == ExitCodes.Success, error);
        Assert.Equal(2, error.Split('\n').Count(l => l.StartsWith("epoch ", StringComparison.Ordinal) && l.Contains("eval acc", StringComparison.Ordinal) && l.Contains("ETA", StringComparison.Ordinal)));
        Assert.True(File.Exists(output));
        Assert.Equal("distill", (string?)JsonNode.Parse(File.ReadAllText(output + ".recipe.json"))!["steps"]![0]!["pass"]);
        Assert.True(File.Exists(Path.Combine(output + ".checkpoint", "student.onnx")));
        var json = JsonNode.Parse(File.ReadAllText(report))!;
        Assert.True((double)json["steps"]![0]!["report"]!["write_back_max_difference"]! <= 1e-4);
        Assert.Contains("wrote", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder.Path, "report.step1-distill-training.svg")), "the loss and accuracy plot is written beside the report");
    }

    [Fact]
    public async Task Distill_LearningRateThatDiverges_ExitsThreeWithOneLineAndReportsTheRestarts()
    {
        using var folder = new TemporaryFolder();
        var output = Path.Combine(folder.Path, "student.onnx");
        var report = Path.Combine(folder.Path, "report.json");

        var (exitCode, _, error) = await CliRunner.RunAsync("distill", "--teacher", TestData.File("models/mnist/mnist.onnx"), "--width", "0.5",
            "-o", output, "--data", Mnist(0, 512), "--epochs", "1", "--labels", "--optimizer", "sgd", "--lr", "1000", "--report", report);

        Assert.Equal(ExitCodes.GoalNotMet, exitCode);
        var errorLines = error.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.Single(errorLines);
        Assert.StartsWith("error: training diverged at epoch 1, step ", errorLines[0], StringComparison.Ordinal);
        Assert.Contains("try a lower --lr", errorLines[0], StringComparison.Ordinal);
        Assert.Equal(3, error.Split('\n').Count(l => l.StartsWith("warning: the loss became", StringComparison.Ordinal)));
        Assert.DoesNotContain("JSON", error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        var json = JsonNode.Parse(File.ReadAllText(report))!;
        Assert.Equal("diverged", (string?)json["status"]);
        Assert.Equal(4, json["recoveries"]!.AsArray().Count);
    }
}
