using Edge.TestUtilities;

namespace Edge.Quickstart.Tests;

public sealed class QuickstartCliTests
{
    [Fact]
    public async Task RunAsync_MissingData_ExitsTwoWithOneLineNamingIt()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dataset-" + Guid.NewGuid().ToString("N"));

        var code = await QuickstartCli.RunAsync(["--model", TestData.File("models/mnist/mnist.onnx"), "--data", $"mnist:{missing}"], output, error);

        Assert.Equal(2, code);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(missing, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SeveralBadOptions_ListsEveryProblemAtOnce()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await QuickstartCli.RunAsync(["--model", "/nonexistent/model.onnx", "--data", "nonsense", "--devices", "1", "--max-accuracy-drop", "150"], output, error);

        Assert.Equal(2, code);
        var text = error.ToString();
        Assert.Contains("--model '/nonexistent/model.onnx' does not exist", text, StringComparison.Ordinal);
        Assert.Contains("--data 'nonsense'", text, StringComparison.Ordinal);
        Assert.Contains("--devices must be 2..8", text, StringComparison.Ordinal);
        Assert.Contains("--max-accuracy-drop must be 0..100 points; got 150", text, StringComparison.Ordinal);
    }
}
