using Edge.CommandLine;
using Edge.Fleet.Cli;

namespace Edge.Fleet.Tests.Cli;

/// <summary><c>deploy --shadow …</c> with bad values: exit 2 with every problem on one line, before any store or broker is touched.</summary>
public sealed class ShadowOptionsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-shadow-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<(int Code, string Error)> DeployAsync(params string[] args)
    {
        using var error = new StringWriter();
        var code = await EdgeFleetCli.RunAsync(
            ["deploy", Path.Combine(_directory, "model.edgepkg"), .. args, "--state", Path.Combine(_directory, "state.db"), "--fleet", "f1", "--broker", "127.0.0.1", "--port", "1"],
            new StringWriter(), error);
        return (code, error.ToString());
    }

    [Theory]
    [InlineData("--group", "all")]
    [InlineData("--device", "dev-001")]
    public async Task ShadowSettings_WithoutShadow_ExitTwoNamingThem(string target, string value)
    {
        var (code, error) = await DeployAsync(target, value, "--min-agreement", "0.9", "--shadow-samples", "10");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--min-agreement, --shadow-samples: only with --shadow", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "state.db")));
    }

    [Theory]
    [InlineData("--group", "all")]
    [InlineData("--device", "dev-001")]
    public async Task ShadowSettings_OutOfRange_ExitTwoListingEveryError(string target, string value)
    {
        var (code, error) = await DeployAsync(target, value,
            "--shadow", "0", "--min-agreement", "150%", "--shadow-samples", "0", "--shadow-max-latency-ratio", "0.5", "--shadow-timeout", "0s");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--shadow: shadow.sampleFraction is 0, expected more than 0 and at most 1.", error, StringComparison.Ordinal);
        Assert.Contains("--shadow-samples: shadow.minSamples is 0, expected 1 to 1000000.", error, StringComparison.Ordinal);
        Assert.Contains("--min-agreement: shadow.minAgreement is 1.5, expected 0 to 1.", error, StringComparison.Ordinal);
        Assert.Contains("--shadow-max-latency-ratio: shadow.maxLatencyRatio is 0.5, expected a finite number of at least 1.", error, StringComparison.Ordinal);
        Assert.Contains("--shadow-timeout (seconds): shadow.timeoutSeconds is 0, expected 1 to 604800.", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task ShadowSettings_Unreadable_ExitTwoListingBoth()
    {
        var (code, error) = await DeployAsync("--group", "all", "--shadow", "ten", "--shadow-timeout", "soon");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--shadow: 'ten' is not a percentage (10%) or a fraction (0.1).", error, StringComparison.Ordinal);
        Assert.Contains("--shadow-timeout: 'soon' is not a duration", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaveSettings_SeveralUnreadable_ExitTwoListingEachWithTheShadowErrors()
    {
        var (code, error) = await DeployAsync("--group", "all", "--abort-failure-rate", "lots", "--soak", "soon", "--shadow", "10%", "--shadow-samples", "0");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--abort-failure-rate: 'lots' is not a percentage (10%) or a fraction (0.1).", error, StringComparison.Ordinal);
        Assert.Contains("--soak: 'soon' is not a duration", error, StringComparison.Ordinal);
        Assert.Contains("--shadow-samples: shadow.minSamples is 0", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(_directory, "state.db")));
    }
}
