using Edge.CommandLine;
using Edge.Fleet.Cli;

namespace Edge.Fleet.Tests.Cli;

/// <summary><c>edge-fleet serve</c>'s options: every problem on one line, exit code 2, before any connection.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-serve-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Serve_BadInstanceAndBatch_ExitsTwoListingBoth()
    {
        using var error = new StringWriter();
        var code = await EdgeFleetCli.RunAsync(
            ["serve", "--state", Path.Combine(_directory, "state.db"), "--fleet", "f1", "--instance", "a/b", "--max-batch", "0", "--broker", "127.0.0.1", "--port", "1"],
            new StringWriter(),
            error);

        Assert.Equal(ExitCodes.BadInput, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--instance: 'a/b' must be 1 to 64 characters", line, StringComparison.Ordinal);
        Assert.Contains("--max-batch: 0 is outside 1..10000.", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "state.db")), "the store was opened before the options were checked");
    }

    [Fact]
    public async Task Serve_BrokerUnreachable_ExitsTwoWithOneLine()
    {
        using var error = new StringWriter();
        var code = await EdgeFleetCli.RunAsync(
            ["serve", "--state", Path.Combine(_directory, "state.db"), "--fleet", "f1", "--instance", "a", "--broker", "127.0.0.1", "--port", "1", "--connect-retry", "0"],
            new StringWriter(),
            error);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("The MQTT broker 127.0.0.1:1 is unreachable", error.ToString(), StringComparison.Ordinal);
    }
}
