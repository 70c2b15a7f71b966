using System.Globalization;
using System.Text.Json;
using Edge.Agent.Tests.Ota.Support;
using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.Protocol.Ota;

namespace Edge.Agent.Tests.Ota;

/// <summary>
/// Bench jobs end to end against a real Mosquitto, with real packages and ONNX Runtime: the candidate is timed beside
/// the served model and deleted, nothing is installed, and a bad candidate fails without touching the served model.
/// </summary>
[Collection(OtaSerialGroup.Name)]
public sealed class OtaBenchTests : IAsyncLifetime
{
    private static readonly OtaBenchRequest Request = new() { Runs = 40, WarmupRuns = 3, MaxSeconds = 60 };
    private OtaTestBed _bed = null!;
    private string _v1 = null!;

    private OtaPublisher Publisher => _bed.Publisher;

    public async Task InitializeAsync()
    {
        _bed = await OtaTestBed.StartAsync();
        _v1 = await _bed.Packages.BuildAsync("1.0.0", rounds: 4);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private Task<AgentHarness> StartAgentAsync(string device) =>
        OtaAgent.StartAsync(_bed.Broker.Host, _bed.Broker.Port, device, _bed.Packages, _v1, _bed.DataDirectory);

    private Task<OtaJobDocument> BenchAsync(string device, string package) =>
        Publisher.DeployAsync(device, package, change: job => job with { Bench = Request });

    [Fact]
    public async Task Bench_SlowerOlderCandidate_MeasuredBesideTheServedModel_NothingInstalledAndNothingLeft()
    {
        await using var agent = await StartAgentAsync("dev-bench");
        var model = agent.Get<ActiveModel>();
        using var traffic = new InferenceTraffic(model);

        // Older than the served 1.0.0 (a bench has no version rule) and about three times the work.
        var slow = await _bed.Packages.BuildAsync("0.5.0", rounds: 18);
        var job = await BenchAsync("dev-bench", slow);
        var final = await Publisher.WaitTerminalAsync("dev-bench", job.JobId);
        var (calls, failures) = await traffic.StopAsync();

        Assert.True(final.State == OtaJobStates.Succeeded, OtaPublisher.Describe(final));
        var bench = Assert.IsType<OtaBenchResult>(final.Bench);
        Assert.Equal(("mnist", "0.5.0", 40), (bench.Candidate.Model.Name, bench.Candidate.Model.Version, bench.Candidate.Runs));
        var serving = Assert.IsType<OtaLatencyFigures>(bench.Serving);
        Assert.Equal(("mnist", "1.0.0", 40), (serving.Model.Name, serving.Model.Version, serving.Runs));
        // Stated tolerance: the candidate does 3.0x the multiply-adds; anything above 1.3x shows the ranking held.
        Assert.True(bench.LatencyRatio > 1.3, $"candidate p50 {bench.Candidate.P50Ms} ms against served {serving.P50Ms} ms");
        Assert.True(bench.Candidate.P50Ms <= bench.Candidate.P95Ms && bench.Candidate.MeanMs > 0);
        Assert.Equal("cpu", bench.Provider);
        Assert.Equal("cpu", bench.Hardware.ExecutionProvider);
        Assert.False(string.IsNullOrWhiteSpace(bench.Hardware.OnnxRuntimeVersion));
        Assert.Equal(OperatingSystem.IsLinux() ? 10 : null, bench.Nice);
        // A second session and its runs grow the resident set (read from /proc on Linux).
        Assert.True(OperatingSystem.IsLinux() ? bench.CandidatePeakMemoryBytes > 0 : bench.CandidatePeakMemoryBytes == 0, $"{bench.CandidatePeakMemoryBytes} bytes");
        Assert.False(bench.Truncated);
        Assert.True(bench.LiveDuring is { Calls: > 0 }, "the app's calls went on during the bench");
        Assert.Equal(bench.Candidate.P50Ms, final.Figures!["candidateP50Ms"]);

        // Nothing installed, nothing left behind, and the app never saw a failure.
        Assert.Equal("1.0.0", model.Version);
        Assert.Equal(0, failures);
        Assert.True(calls > 0);
        Assert.False(Directory.Exists(Path.Combine(_bed.DataDirectory, "slots", "bench")), "the bench folder was deleted");
        Assert.Empty(Directory.Exists(Path.Combine(_bed.DataDirectory, "downloads")) ? Directory.GetFiles(Path.Combine(_bed.DataDirectory, "downloads")) : []);
        Assert.DoesNotContain(Publisher.States.History, r => r.JobId == job.JobId && r.State == OtaJobStates.Activating);
    }

    [Fact]
    public async Task Bench_UnsignedCandidate_RefusedBeforeItRuns()
    {
        await using var agent = await StartAgentAsync("dev-bench-unsigned");
        var unsigned = await _bed.Packages.BuildAsync("2.0.0", rounds: 4, sign: false);
        var job = await BenchAsync("dev-bench-unsigned", unsigned);
        var final = await Publisher.WaitTerminalAsync("dev-bench-unsigned", job.JobId);

        Assert.Equal(OtaJobStates.Failed, final.State);
        Assert.Contains("package refused", final.Reason, StringComparison.Ordinal);
        Assert.Null(final.Bench);
        Assert.DoesNotContain(Publisher.States.History, r => r.JobId == job.JobId && r.Phase == "bench");
    }

    [Fact]
    public async Task Bench_CandidateThatDoesNotLoad_FailsWithTheReason_ServedModelAnswersAsBefore()
    {
        await using var agent = await StartAgentAsync("dev-bench-corrupt");
        var model = agent.Get<ActiveModel>();
        var before = OtaAgent.Infer(model);
        var corrupt = await _bed.Packages.BuildAsync("2.0.0", rounds: 4, corruptModel: true);
        var job = await BenchAsync("dev-bench-corrupt", corrupt);
        var final = await Publisher.WaitTerminalAsync("dev-bench-corrupt", job.JobId);

        Assert.Equal(OtaJobStates.Failed, final.State);
        Assert.StartsWith("bench: the candidate does not load on cpu:", final.Reason, StringComparison.Ordinal);
        Assert.Equal("1.0.0", model.Version);
        Assert.Equal(before, OtaAgent.Infer(model));
        Assert.False(Directory.Exists(Path.Combine(_bed.DataDirectory, "slots", "bench")), "the bench folder was deleted");

        // The queue goes on: the next job is served as usual.
        var v2 = await _bed.Packages.BuildAsync("2.0.0", rounds: 4);
        var next = await Publisher.DeployAsync("dev-bench-corrupt", v2);
        var installed = await Publisher.WaitTerminalAsync("dev-bench-corrupt", next.JobId);
        Assert.True(installed.State == OtaJobStates.Succeeded, OtaPublisher.Describe(installed));
    }

    [Fact]
    public async Task FleetBench_DeviceAndGroup_PrintsTheFigures_OfflineDeviceTimesOutWithTheReason()
    {
        await using var agent = await StartAgentAsync("dev-cli");
        var candidate = await _bed.Packages.BuildAsync("2.0.0", rounds: 8);
        var json = Path.Combine(_bed.Packages.Root, "bench.json");

        var single = await FleetAsync("bench", candidate, "--device", "dev-cli", "--runs", "20", "--warmup", "2", "--json", json);
        Assert.True(single.Code == ExitCodes.Success, single.Output + single.Error);
        Assert.Contains("dev-cli [", single.Output, StringComparison.Ordinal);
        Assert.Contains("mnist 2.0.0 p50 ", single.Output, StringComparison.Ordinal);
        Assert.Contains("served mnist 1.0.0 p50 ", single.Output, StringComparison.Ordinal);
        using (var report = JsonDocument.Parse(await File.ReadAllTextAsync(json)))
        {
            Assert.Equal("edge.device-bench/v1", report.RootElement.GetProperty("schema").GetString());
            var outcome = report.RootElement.GetProperty("outcomes")[0];
            Assert.Equal("dev-cli", outcome.GetProperty("device").GetString());
            Assert.Equal(20, outcome.GetProperty("result").GetProperty("candidate").GetProperty("runs").GetInt32());
        }

        Assert.Equal(ExitCodes.Success, (await FleetAsync("groups", "add", "lab", "--devices", "dev-cli,dev-gone")).Code);
        var group = await FleetAsync("bench", candidate, "--group", "lab", "--runs", "10", "--warmup", "1");
        Assert.True(group.Code == ExitCodes.Success, group.Output + group.Error);
        Assert.Contains("group lab: 2 member(s), 1 hardware class(es): measuring on dev-cli", group.Output, StringComparison.Ordinal);

        var offline = await FleetAsync("bench", candidate, "--device", "dev-gone", "--timeout", "2s");
        Assert.Equal(ExitCodes.GoalNotMet, offline.Code);
        Assert.Contains("dev-gone: not measured: no result from device dev-gone within 2 s: it never acknowledged the job (offline?)", offline.Output, StringComparison.Ordinal);

        var unsigned = await _bed.Packages.BuildAsync("3.0.0", rounds: 4, sign: false);
        var refused = await FleetAsync("bench", unsigned, "--device", "dev-cli");
        Assert.Equal(ExitCodes.BadInput, refused.Code);
        Assert.Equal("1.0.0", agent.Get<ActiveModel>().Version);
    }

    private async Task<(int Code, string Output, string Error)> FleetAsync(params string[] args)
    {
        var key = Path.Combine(_bed.Packages.Root, "operator.key.pem");
        if (!File.Exists(key))
        {
            await File.WriteAllTextAsync(key, _bed.Packages.OperatorKey.ExportPkcs8PrivateKeyPem());
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] common =
        [
            "--state", Path.Combine(_bed.Packages.Root, "fleet-state.db"), "--fleet", OtaPublisher.Fleet, "--broker", _bed.Broker.Host,
            "--port", _bed.Broker.Port.ToString(CultureInfo.InvariantCulture), "--job-key", key,
        ];
        string[] trust = args[0] == "bench" ? ["--trust", _bed.Packages.PublicKeyPath] : [];
        var code = await EdgeFleetCli.RunAsync([.. args, .. trust, .. common], output, error);
        return (code, output.ToString(), error.ToString());
    }
}
