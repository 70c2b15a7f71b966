using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.TestUtilities.Mqtt;

namespace Edge.Fleet.Tests.Cli;

/// <summary>Each bad input gets one clear line on standard error and exit code 2; nothing is stored or published.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-cli-").FullName;

    private string State => Path.Combine(_directory, "state.db");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await EdgeFleetCli.RunAsync([.. args, "--state", State, "--fleet", "f1"], output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("--fleet", "f1/x", "--fleet is required (or set EDGE_FLEET) and must be one topic level")]
    [InlineData("--fleet", "f+", "--fleet is required (or set EDGE_FLEET) and must be one topic level")]
    [InlineData("--share-group", "g/#", "--share-group: 'g/#' must be non-empty without '/', '+' or '#'.")]
    public async Task TopicLevelOptions_WithSeparatorOrWildcard_ExitTwo(string option, string value, string expected)
    {
        using var error = new StringWriter();
        string[] fleet = option == "--fleet" ? [] : ["--fleet", "f1"];
        var code = await EdgeFleetCli.RunAsync(["devices", "--state", State, .. fleet, option, value], new StringWriter(), error);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forget_DeviceIdWithWildcard_ExitsTwoBeforeContactingTheBroker()
    {
        var (code, _, error) = await RunAsync("devices", "forget", "dev/#", "--broker", "127.0.0.1", "--port", "1", "--connect-retry", "0");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("Device id 'dev/#' must be one topic level without '/', '+' or '#'.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task State_AFolder_ExitsTwoSayingSo()
    {
        using var error = new StringWriter();
        var code = await EdgeFleetCli.RunAsync(["devices", "--cached", "--fleet", "f1", "--state", _directory], new StringWriter(), error);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"The state file '{_directory}' is a folder; expected a database file, for example '{Path.Combine(_directory, "state.db")}'.", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task State_InAMissingFolder_ExitsTwoAndCreatesNothing()
    {
        var missing = Path.Combine(_directory, "no", "such");
        using var error = new StringWriter();
        var code = await EdgeFleetCli.RunAsync(["devices", "--cached", "--fleet", "f1", "--state", Path.Combine(missing, "state.db")], new StringWriter(), error);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"The state file's folder '{missing}' does not exist;", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "no")));
    }

    [Fact]
    public async Task Devices_UnknownGroup_ExitsTwoNamingTheGroupAndTheKnownOnes()
    {
        await RunAsync("groups", "add", "lobby", "--selector", "site=lobby");

        var (code, _, error) = await RunAsync("devices", "--group", "nowhere", "--cached");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("Unknown group 'nowhere'; defined groups: lobby.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_PackageFailingVerification_ExitsTwoBeforeContactingTheBroker()
    {
        await RunAsync("groups", "add", "lobby", "--devices", "d1,d2");
        var package = Path.Combine(_directory, "broken.edgepkg");
        await File.WriteAllBytesAsync(package, new byte[2048]);

        // Port 1 has no broker: reaching it would print retries; verification must fail first.
        var (code, output, error) = await RunAsync("deploy", package, "--group", "lobby", "--allow-unsigned", "--port", "1", "--connect-retry", "0");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("unreachable", error, StringComparison.Ordinal);
        Assert.Empty(output);
        var status = await RunAsync("status");
        Assert.Empty(status.Output); // no deployment stored
    }

    [Fact]
    public async Task Deploy_UnsignedPackageWithoutTrust_ExitsTwoAskingForTrust()
    {
        await RunAsync("groups", "add", "lobby", "--devices", "d1");
        var (code, _, error) = await RunAsync("deploy", Path.Combine(_directory, "x.edgepkg"), "--group", "lobby");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--trust KEY.pem is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Devices_UnreachableBroker_RetriesVisiblyThenExitsTwo()
    {
        var port = FreePort.Next();

        var (code, _, error) = await RunAsync("devices", "--broker", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--connect-retry", "4");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"edge-fleet: broker 127.0.0.1:{port} unreachable (attempt 1:", error, StringComparison.Ordinal);
        Assert.Contains("retrying in", error, StringComparison.Ordinal);
        Assert.Contains($"error: The MQTT broker 127.0.0.1:{port} is unreachable:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_InvalidOptions_ListsEveryProblemAtOnce()
    {
        await RunAsync("groups", "add", "lobby", "--devices", "d1");

        var (code, _, error) = await RunAsync("deploy", "p.edgepkg", "--group", "lobby", "--waves", "1,50%", "--max-concurrent", "0", "--window", "25:00-01:00", "--allow-unsigned");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("expected 100%", error, StringComparison.Ordinal);
        Assert.Contains("--max-concurrent must be at least 1", error, StringComparison.Ordinal);
        Assert.Contains("Invalid --window '25:00-01:00'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Groups_AddDuplicateOrMalformedSelector_ExitsTwo()
    {
        Assert.Equal(ExitCodes.Success, (await RunAsync("groups", "add", "orin", "--selector", "board=jetson-orin-nano,site=lobby")).Code);

        var duplicate = await RunAsync("groups", "add", "orin", "--devices", "d1");
        var malformed = await RunAsync("groups", "add", "bad", "--selector", "board");

        Assert.Equal(ExitCodes.BadInput, duplicate.Code);
        Assert.Contains("a group with that name exists", duplicate.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, malformed.Code);
        Assert.Contains("malformed term(s) 'board'", malformed.Error, StringComparison.Ordinal);
        var list = await RunAsync("groups", "list");
        Assert.Contains("orin\t0 devices\tselector board=jetson-orin-nano,site=lobby", list.Output, StringComparison.Ordinal);
    }
}
