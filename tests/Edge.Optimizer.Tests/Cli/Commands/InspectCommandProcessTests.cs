using System.Diagnostics;

namespace Edge.Optimizer.Tests.Cli.Commands;

public sealed class InspectCommandProcessTests
{
    [Fact]
    public async Task Inspect_TruncatedModelInRealProcess_ExitsTwoWithOneLineOnStderr()
    {
        using var folder = new TemporaryFolder();
        var path = BadInputs.Create("truncated", folder.Path);
        var executable = Path.Combine(AppContext.BaseDirectory, "Edge.Optimizer.dll");
        Assert.True(File.Exists(executable), $"the built CLI was not found at '{executable}'");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(executable);
        start.ArgumentList.Add("inspect");
        start.ArgumentList.Add(path);

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, process.ExitCode);
        Assert.Equal("", await output);
        var line = Assert.Single((await error).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("is not an ONNX model: protobuf parse failed at byte", line, StringComparison.Ordinal);
        Assert.Contains(path, line, StringComparison.Ordinal);
    }
}
