using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.TestUtilities.Mqtt;

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
    public async Task Serve_BadRetention_ExitsTwoListingBoth()
    {
        using var error = new StringWriter();
        var code = await EdgeFleetCli.RunAsync(
            ["serve", "--state", Path.Combine(_directory, "state.db"), "--fleet", "f1", "--instance", "a", "--keep-raw", "12h", "--keep-aggregates", "6h", "--broker", "127.0.0.1", "--port", "1"],
            new StringWriter(),
            error);

        Assert.Equal(ExitCodes.BadInput, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--keep-raw: 0.5 days is shorter than 1 day", line, StringComparison.Ordinal);
        Assert.Contains("--keep-aggregates: 0.25 days is shorter than --keep-raw (0.5 days)", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "state.db")), "the store was opened before the options were checked");
    }

    [Fact]
    public async Task Serve_JobKeyWithoutTrustOrWithShortLease_ExitsTwoSayingWhatRolloutsNeed()
    {
        using var error = new StringWriter();
        string[] common = ["serve", "--state", Path.Combine(_directory, "state.db"), "--fleet", "f1", "--instance", "a", "--broker", "127.0.0.1", "--port", "1", "--job-key", Simulation.OperatorKey.PrivateKeyPath];
        var code = await EdgeFleetCli.RunAsync(common, new StringWriter(), error);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--job-key makes serve drive rollouts, which needs --trust KEY.pem", error.ToString(), StringComparison.Ordinal);

        using var shortLease = new StringWriter();
        code = await EdgeFleetCli.RunAsync([.. common, "--allow-unsigned", "--lease", "1s"], new StringWriter(), shortLease);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--lease: 1 s is outside 2 s to 10 min.", shortLease.ToString(), StringComparison.Ordinal);
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

    [Fact]
    public async Task Serve_BadDashboardAddress_ExitsTwoNamingTheOption()
    {
        using var error = new StringWriter();
        var code = await EdgeFleetCli.RunAsync(
            ["serve", "--state", Path.Combine(_directory, "state.db"), "--fleet", "f1", "--instance", "a", "--dashboard", "ftp://x/y", "--broker", "127.0.0.1", "--port", "1"],
            new StringWriter(),
            error);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: --dashboard: 'ftp://x/y' must be an http or https URL", error.ToString().Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithDashboard_ServesThePagesWhileIngesting_AndStopsCleanly()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var port = FreePort.Next();
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var serve = EdgeFleetCli.RunAsync(
            ["serve", "--state", Path.Combine(_directory, "state.db"), "--fleet", "f1", "--instance", "web", "--dashboard", $"http://127.0.0.1:{port}",
                "--broker", broker.Host, "--port", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            output,
            error,
            cancellationToken: stop.Token);

        await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60), CancellationToken.None);
        using var http = new HttpClient();
        var page = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"));
        Assert.Contains("<!DOCTYPE html>", page, StringComparison.Ordinal);
        await stop.CancelAsync();
        var code = await serve;

        Assert.True(code is ExitCodes.Success or ExitCodes.Cancelled, $"exit {code}: {error}");
        Assert.Contains($"Dashboard at http://127.0.0.1:{port}", output.ToString(), StringComparison.Ordinal);
    }
}
