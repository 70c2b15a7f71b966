using Edge.Agent.Tests.Ota.Support;

namespace Edge.Agent.Tests.Hosting;

/// <summary>
/// Bad settings and bad files given to the Native AOT agent: each must end with exit code 2 and one readable line
/// that names the setting, never an abort (SIGABRT, exit 134) or a bare resource key, so systemd's
/// <c>RestartPreventExitStatus=2</c> stops a restart loop. A mistyped key is reported, not ignored.
/// </summary>
public sealed class AotStartupErrorTests : IClassFixture<AotAgentBuild>, IDisposable
{
    private readonly AotAgentBuild _build;
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-agent-bad-").FullName;
    private readonly OtaPackages _packages = new();

    public AotStartupErrorTests(AotAgentBuild build) => _build = build;

    private string[] Base => ["--FleetId=f1", "--DeviceId=d1", "--Mqtt:Port=1", $"--Outbox:Path={Path.Combine(_directory, "outbox.db")}"];

    private string[] Ota(params string[] more) =>
        [.. Base, "--Ota:Enabled=true", $"--Ota:DataDirectory={Path.Combine(_directory, "ota")}", $"--Ota:TrustedJobKeyFiles:0={_packages.PublicKeyPath}", .. more];

    [Fact]
    public async Task Start_HttpEnabledInTheDefaultBuild_ExitsTwoSayingHowToPublishIt() =>
        await AssertBadSettingsAsync([.. Base, "--Http:Enabled=true"], "published without the local HTTP server; publish it with -p:EdgeLocalHttp=true");

    [Fact]
    public async Task Start_ConfigFileMissing_ExitsTwoNamingIt() =>
        await AssertBadSettingsAsync([.. Base, "--config", Path.Combine(_directory, "missing.json")], "missing.json' does not exist");

    [Fact]
    public async Task Start_ConfigFileNotJson_ExitsTwoNamingIt()
    {
        var config = Path.Combine(_directory, "bad.json");
        await File.WriteAllTextAsync(config, "FleetId = f1\n");

        await AssertBadSettingsAsync([.. Base, "--config", config], "is not valid JSON");
    }

    [Fact]
    public async Task Start_ConfigIsAFolder_ExitsTwoNamingIt() =>
        await AssertBadSettingsAsync([.. Base, "--config", _directory], "is a folder");

    [Fact]
    public async Task Start_TrustKeyMissing_ExitsTwoNamingIt() =>
        await AssertBadSettingsAsync(Ota($"--Ota:TrustedKeyFiles:0={Path.Combine(_directory, "none.pem")}"), "Ota:TrustedKeyFiles:0");

    [Fact]
    public async Task Start_TrustKeyGarbage_ExitsTwoNamingIt()
    {
        var key = Path.Combine(_directory, "garbage.pem");
        await File.WriteAllTextAsync(key, "-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----\n");

        await AssertBadSettingsAsync(Ota($"--Ota:TrustedKeyFiles:0={key}"), "expected a P-256 public key");
    }

    [Fact]
    public async Task Start_InitialPackageMissing_ExitsTwoNamingIt() =>
        await AssertBadSettingsAsync(Ota($"--Ota:TrustedKeyFiles:0={_packages.PublicKeyPath}", $"--Ota:InitialPackage={Path.Combine(_directory, "none.edgepkg")}"), "Ota:InitialPackage");

    [Theory]
    [InlineData("random")]
    [InlineData("truncated")]
    [InlineData("tampered")]
    public async Task Start_InitialPackageDamaged_ExitsTwoNamingIt(string damage)
    {
        var good = await _packages.BuildAsync("1.0.0", rounds: 0);
        var bytes = await File.ReadAllBytesAsync(good);
        var path = Path.Combine(_directory, damage + ".edgepkg");
        switch (damage)
        {
            case "random":
                new Random(7).NextBytes(bytes);
                break;
            case "truncated":
                bytes = bytes[..(bytes.Length / 2)];
                break;
            default:
                bytes[bytes.Length / 2] ^= 0x55;
                break;
        }

        await File.WriteAllBytesAsync(path, bytes);

        await AssertBadSettingsAsync(Ota($"--Ota:TrustedKeyFiles:0={_packages.PublicKeyPath}", $"--Ota:InitialPackage={path}"), "Ota:InitialPackage");
    }

    [Fact]
    public async Task Start_OutboxPathIsAFolder_ExitsTwoNamingIt() =>
        await AssertBadSettingsAsync(["--FleetId=f1", "--DeviceId=d1", "--Mqtt:Port=1", $"--Outbox:Path={_directory}"], "Outbox:Path");

    [Theory]
    [InlineData("--Telemetry:Interval=abc", "Telemetry:Interval")]
    [InlineData("--Telemetry:BatchSize=NaN", "Telemetry:BatchSize")]
    [InlineData("--Mqtt:Hots=broker.local", "Hots")]
    public async Task Start_BadOrUnknownSetting_ExitsTwoNamingIt(string setting, string named) =>
        await AssertBadSettingsAsync([.. Base, setting], named);

    public void Dispose()
    {
        _packages.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task AssertBadSettingsAsync(string[] arguments, string named)
    {
        using var agent = AgentProcess.Start(_build.Executable, arguments);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await agent.WaitForExitAsync(timeout.Token);
        await Task.Delay(100); // the last asynchronous output lines

        var lines = agent.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(agent.ExitCode == 2, $"exit code {agent.ExitCode}, output:\n{agent.Output}");
        var error = Assert.Single(lines, l => l.StartsWith("edge-agent: ", StringComparison.Ordinal));
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", agent.Output, StringComparison.Ordinal);
    }
}
