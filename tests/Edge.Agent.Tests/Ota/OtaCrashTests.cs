using System.Globalization;
using System.Text.Json;
using Edge.Agent.Tests.Ota.Support;
using Edge.Agent.Tests.Support;
using Edge.Protocol.Ota;
using Xunit.Abstractions;

namespace Edge.Agent.Tests.Ota;

/// <summary>
/// Crash safety: the agent runs as a real process and is killed with SIGKILL when it reports a stage (downloading,
/// staged, activating = mid-switch, health-checking), then restarted. After every restart it must serve a valid
/// model (the served slot's golden sample passes through the live ModelHost) and finish or cleanly end the job.
/// </summary>
[Collection(OtaSerialGroup.Name)]
public sealed class OtaCrashTests : IAsyncLifetime
{
    private const string Device = "dev-crash";
    private static readonly string[] Stages = [OtaJobStates.Downloading, OtaJobStates.Staged, OtaJobStates.Activating, OtaJobStates.HealthChecking];
    private readonly ITestOutputHelper _output;
    private OtaTestBed _bed = null!;
    private MqttTestClient _operator = null!;

    public OtaCrashTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public async Task InitializeAsync()
    {
        _bed = await OtaTestBed.StartAsync();
        _operator = await MqttTestClient.ConnectAsync(_bed.Broker.Host, _bed.Broker.Port, "operator-crash");
        await _operator.SubscribeAsync($"edge/{OtaPublisher.Fleet}/{Device}/cmd/response/#");
    }

    public async Task DisposeAsync()
    {
        await _operator.DisposeAsync();
        await _bed.DisposeAsync();
    }

    [Fact]
    public async Task Agent_KilledAtEachStageTwentyTimes_AlwaysServesAValidModelAndEndsTheJob()
    {
        var v1 = await _bed.Packages.BuildAsync("1.0.0", rounds: 0);
        var agent = AgentProcess.Start(Arguments(v1));
        var outcomes = new List<string>();
        var killsAt = new Dictionary<string, int>();
        try
        {
            await AssertServesValidModelAsync(agent, expectedVersions: ["1.0.0"]);
            var active = "1.0.0";
            for (var round = 0; round < 20; round++)
            {
                var stage = Stages[round % Stages.Length];
                var version = $"1.0.{round + 1}";
                var package = await _bed.Packages.BuildAsync(version, rounds: 0, paddingBytes: 400_000);
                var job = await _bed.Publisher.DeployAsync(Device, package, OtaPublisher.FastGate(maxLatencyRatio: 3, watchSeconds: 0.3) with { LatencyRuns = 20 });

                await MqttTestClient.WaitUntilAsync(
                    () => _bed.Publisher.States.History.Any(r => r.JobId == job.JobId && (r.State == stage || OtaJobStates.IsTerminal(r.State))),
                    TimeSpan.FromSeconds(30),
                    () => $"round {round}: stage {stage} of job {job.JobId}");
                agent.Kill();
                var lastSeen = _bed.Publisher.States.History.Last(r => r.JobId == job.JobId);
                killsAt[lastSeen.State] = killsAt.GetValueOrDefault(lastSeen.State) + 1;

                agent.Dispose();
                agent = AgentProcess.Start(Arguments(v1));
                var final = await _bed.Publisher.WaitTerminalAsync(Device, job.JobId, TimeSpan.FromSeconds(60));
                var status = await AssertServesValidModelAsync(agent, expectedVersions: [active, version]);
                var served = status.GetProperty("servedVersion").GetString()!;
                Assert.Equal(final.State == OtaJobStates.Succeeded ? version : active, served);
                outcomes.Add($"round {round}: killed after '{lastSeen.State}' (aiming at {stage}) -> {final.State} {final.Reason}, serving {served}");
                active = served;
            }
        }
        finally
        {
            foreach (var line in outcomes)
            {
                _output.WriteLine(line);
            }

            agent.Dispose();
            if (outcomes.Count < 20)
            {
                _output.WriteLine(agent.Output);
            }
        }

        Assert.Equal(20, outcomes.Count);
        _output.WriteLine("kills after: " + string.Join(", ", killsAt.Select(k => $"{k.Key} {k.Value}")));
        foreach (var stage in new[] { OtaJobStates.Downloading, OtaJobStates.HealthChecking })
        {
            Assert.True(killsAt.GetValueOrDefault(stage) >= 3, $"only {killsAt.GetValueOrDefault(stage)} kills landed after '{stage}'");
        }
    }

    [Fact]
    public async Task Agent_KilledDuringABench_RestartsServingItsModel_AbandonsTheBenchAndDeletesTheCandidate()
    {
        var v1 = await _bed.Packages.BuildAsync("1.0.0", rounds: 4);
        var agent = AgentProcess.Start(Arguments(v1));
        try
        {
            await AssertServesValidModelAsync(agent, expectedVersions: ["1.0.0"]);

            // A candidate that takes the agent down while it is timed (here: SIGKILL once the bench phase is reported).
            var candidate = await _bed.Packages.BuildAsync("9.0.0", rounds: 18);
            var job = await _bed.Publisher.DeployAsync(Device, candidate, change: j => j with { Bench = new OtaBenchRequest { Runs = 10_000, WarmupRuns = 0, MaxSeconds = 600 } });
            await MqttTestClient.WaitUntilAsync(
                () => _bed.Publisher.States.History.Any(r => r.JobId == job.JobId && r.Phase == "bench"),
                TimeSpan.FromSeconds(30),
                () => $"the bench phase of job {job.JobId}");
            agent.Kill();
            Assert.True(Directory.Exists(Path.Combine(_bed.DataDirectory, "slots", "bench")), "the candidate was extracted when the agent died");
            agent.Dispose();

            // With no restart allowed per job, the restart ends it: the device survives and the candidate is failed.
            agent = AgentProcess.Start([.. Arguments(v1), "--Ota:MaxJobRestarts=0"]);
            var final = await _bed.Publisher.WaitTerminalAsync(Device, job.JobId, TimeSpan.FromSeconds(60));
            Assert.Equal(OtaJobStates.Failed, final.State);
            Assert.StartsWith("abandoned after 1 agent restarts during the job (last state health-checking)", final.Reason, StringComparison.Ordinal);
            await AssertServesValidModelAsync(agent, expectedVersions: ["1.0.0"]);
            Assert.False(Directory.Exists(Path.Combine(_bed.DataDirectory, "slots", "bench")), "the candidate was deleted");
        }
        finally
        {
            agent.Dispose();
        }
    }

    private string[] Arguments(string initialPackage) =>
    [
        $"--FleetId={OtaPublisher.Fleet}", $"--DeviceId={Device}", "--Mqtt:Host=127.0.0.1", $"--Mqtt:Port={_bed.Broker.Port}",
        "--Mqtt:ReconnectMinDelay=00:00:00.05", "--Mqtt:ReconnectMaxDelay=00:00:00.2", "--Telemetry:Interval=01:00:00",
        $"--Outbox:Path={Path.Combine(_bed.Packages.Root, "outbox.db")}", "--Logging:LogLevel:Default=Warning",
        "--Ota:Enabled=true", $"--Ota:DataDirectory={_bed.DataDirectory}", $"--Ota:TrustedKeyFiles:0={_bed.Packages.PublicKeyPath}",
        $"--Ota:TrustedJobKeyFiles:0={_bed.Packages.OperatorPublicKeyPath}",
        $"--Ota:InitialPackage={initialPackage}", "--Ota:DiskReserveBytes=0", "--Ota:BandwidthLimitBytesPerSecond=1500000",
        "--Ota:ChunkTimeout=00:00:01", "--Ota:ChunkWindow=4",
    ];

    private async Task<JsonElement> AssertServesValidModelAsync(AgentProcess agent, string[] expectedVersions)
    {
        var correlation = Guid.NewGuid().ToString("N");
        var reply = $"edge/{OtaPublisher.Fleet}/{Device}/cmd/response/{correlation}";
        JsonElement result = default;
        await MqttTestClient.WaitUntilAsync(
            () =>
            {
                var response = _operator.Received.FirstOrDefault(m => m.Topic == reply);
                if (response is null)
                {
                    _ = _operator.PublishAsync($"edge/{OtaPublisher.Fleet}/{Device}/cmd/ota-status", $"{{\"correlationId\":\"{correlation}\",\"replyTo\":\"{reply}\"}}");
                    Thread.Sleep(100);
                    return false;
                }

                var document = MqttTestClient.Json(response);
                result = document.TryGetProperty("result", out var r) ? r : throw new InvalidOperationException($"ota-status failed: {document}");
                return true;
            },
            TimeSpan.FromSeconds(30),
            () => $"ota-status answer from the restarted agent; output:\n{agent.Output}");

        Assert.True(result.GetProperty("probeOk").GetBoolean(), result.ToString());
        var served = result.GetProperty("servedVersion").GetString();
        Assert.Contains(served, expectedVersions);
        Assert.Equal(served, result.GetProperty("activeVersion").GetString());
        Assert.Equal(served, result.GetProperty("probeServedVersion").GetString());
        return result;
    }
}
