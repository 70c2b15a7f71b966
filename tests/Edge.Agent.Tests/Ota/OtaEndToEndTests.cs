using Edge.Agent.Tests.Ota.Support;
using Edge.Agent.Tests.Support;
using Edge.Protocol.Ota;

namespace Edge.Agent.Tests.Ota;

/// <summary>Jobs end to end against a real Mosquitto: real packages, real ONNX Runtime, the real publisher.</summary>
[Collection(OtaSerialGroup.Name)]
public sealed class OtaEndToEndTests : IAsyncLifetime
{
    private OtaTestBed _bed = null!;
    private string _v1 = null!;

    private OtaPublisher Publisher => _bed.Publisher;

    public async Task InitializeAsync()
    {
        _bed = await OtaTestBed.StartAsync();
        _v1 = await _bed.Packages.BuildAsync("1.0.0", rounds: 4);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private Task<AgentHarness> StartAgentAsync(string device, Action<OtaOptions>? configure = null) =>
        OtaAgent.StartAsync(_bed.Broker.Host, _bed.Broker.Port, device, _bed.Packages, _v1, _bed.DataDirectory, configure);

    [Fact]
    public async Task Deploy_V1ToV2_SucceedsAndHotSwapsWithoutFailedRequests()
    {
        await using var agent = await StartAgentAsync("dev-e2e");
        var model = agent.Get<ActiveModel>();
        Assert.Equal("1.0.0", model.Version);
        var v2 = await _bed.Packages.BuildAsync("2.0.0", rounds: 4, drift: 0);

        using var traffic = new InferenceTraffic(model);
        var job = await Publisher.DeployAsync("dev-e2e", v2);
        var final = await Publisher.WaitTerminalAsync("dev-e2e", job.JobId);
        var (calls, failures) = await traffic.StopAsync();

        Assert.True(final.State == OtaJobStates.Succeeded, OtaPublisher.Describe(final));
        Assert.Equal("2.0.0", model.Version);
        Assert.Equal("2.0.0", final.ActiveVersion);
        Assert.True(calls > 50, $"only {calls} calls ran during the job");
        Assert.Equal(0, failures);
        var states = Publisher.States.History.Where(r => r.JobId == job.JobId).Select(r => r.State).Distinct().ToList();
        Assert.Equal(
            [OtaJobStates.Queued, OtaJobStates.Downloading, OtaJobStates.Verifying, OtaJobStates.Staged, OtaJobStates.HealthChecking, OtaJobStates.Activating, OtaJobStates.Succeeded],
            states);

        // The retained status follows the switch (the fleet's inventory reads it): the served model is listed first.
        await using var observer = await MqttTestClient.ConnectAsync(_bed.Broker.Host, _bed.Broker.Port, "observer-served-model");
        await observer.SubscribeAsync("edge/fleet1/dev-e2e/status");
        var status = MqttTestClient.Json(await observer.WaitForAsync(
            m => m.Retain && FirstModel(MqttTestClient.Json(m)) == "mnist@2.0.0",
            TimeSpan.FromSeconds(20),
            "a retained status listing mnist@2.0.0"));
        Assert.Equal("online", status.GetProperty("state").GetString());
    }

    private static string? FirstModel(System.Text.Json.JsonElement status) =>
        status.TryGetProperty("facts", out var facts) && facts.GetProperty("models").GetArrayLength() > 0
            ? $"{facts.GetProperty("models")[0].GetProperty("name").GetString()}@{facts.GetProperty("models")[0].GetProperty("version").GetString()}"
            : null;

    [Fact]
    public async Task Deploy_GoldenSamplesFail_RolledBackAndV1KeepsServing()
    {
        await using var agent = await StartAgentAsync("dev-golden");
        var model = agent.Get<ActiveModel>();
        var before = OtaAgent.Infer(model);

        // The model drifted (as a bad quantization would); its golden outputs come from the intended model.
        var broken = await _bed.Packages.BuildAsync("2.0.0", rounds: 4, drift: 1f, goldenDrift: 0);
        var job = await Publisher.DeployAsync("dev-golden", broken);
        var final = await Publisher.WaitTerminalAsync("dev-golden", job.JobId);

        Assert.Equal(OtaJobStates.RolledBack, final.State);
        Assert.Contains("golden sample 'sample0'", final.Reason, StringComparison.Ordinal);
        Assert.Equal("1.0.0", model.Version);
        Assert.Equal(before, OtaAgent.Infer(model));
        Assert.DoesNotContain(Publisher.States.History, r => r.JobId == job.JobId && r.State == OtaJobStates.Activating);
    }

    [Fact]
    public async Task Deploy_ThreeTimesSlowerModel_LatencyGateRollsBack()
    {
        await using var agent = await StartAgentAsync("dev-slow");
        var model = agent.Get<ActiveModel>();

        // 12.8M + 18 × 4.2M multiply-adds against 12.8M + 4 × 4.2M: three times the work, same signature and outputs.
        var slow = await _bed.Packages.BuildAsync("2.0.0", rounds: 18);
        var job = await Publisher.DeployAsync("dev-slow", slow);
        var final = await Publisher.WaitTerminalAsync("dev-slow", job.JobId);

        Assert.True(final.State == OtaJobStates.RolledBack, OtaPublisher.Describe(final));
        Assert.StartsWith("latency gate:", final.Reason, StringComparison.Ordinal);
        Assert.True(final.Figures!["candidateP95Ms"] > 1.2 * final.Figures["currentP95Ms"]);
        Assert.Equal("1.0.0", model.Version);
    }

    [Fact]
    public async Task Deploy_TamperedPackage_RefusedBeforeStaging()
    {
        await using var agent = await StartAgentAsync("dev-tamper");
        var model = agent.Get<ActiveModel>();
        var v2 = await _bed.Packages.BuildAsync("2.0.0", rounds: 4);
        var tampered = Path.Combine(_bed.Packages.Root, "tampered.edgepkg");
        var bytes = await File.ReadAllBytesAsync(v2);
        bytes[bytes.Length / 2] ^= 0x5A; // inside the model's weights: the manifest's SHA-256 for that file no longer matches
        await File.WriteAllBytesAsync(tampered, bytes);

        // The job announces the tampered file's own hash, so the transfer succeeds and the package check must catch it.
        var job = await Publisher.DeployAsync("dev-tamper", tampered);
        var final = await Publisher.WaitTerminalAsync("dev-tamper", job.JobId);

        Assert.Equal(OtaJobStates.Failed, final.State);
        Assert.Contains("HashMismatch", final.Reason, StringComparison.Ordinal);
        Assert.Equal("1.0.0", model.Version);
        Assert.DoesNotContain(Publisher.States.History, r => r.JobId == job.JobId && r.State == OtaJobStates.Staged);
    }

    [Fact]
    public async Task Deploy_LiveCallsFailAfterSwitch_WatchWindowRollsBackAutomatically()
    {
        await using var agent = await StartAgentAsync("dev-watch");
        var model = agent.Get<ActiveModel>();

        // v2 passes its golden sample (first pixel 0) but fails in ONNX Runtime on the live inputs (first pixel 1).
        using var traffic = new InferenceTraffic(model, firstPixel: 1);
        var trap = await _bed.Packages.BuildAsync("2.0.0", rounds: 0, failWhenFirstPixelIsSet: true);
        var job = await Publisher.DeployAsync("dev-watch", trap, OtaPublisher.FastGate(maxLatencyRatio: 3, watchSeconds: 5) with { MinWatchCalls = 10 });
        var final = await Publisher.WaitTerminalAsync("dev-watch", job.JobId);
        var failuresAtRollback = traffic.Failures;
        var callsAtRollback = traffic.Calls;
        await MqttTestClient.WaitUntilAsync(() => traffic.Calls > callsAtRollback + 100, TimeSpan.FromSeconds(10), () => "calls after the rollback");

        // A call that leased v2 just before the swap back may still fail after the report arrived; once 100 calls
        // have run on v1, no further call may fail.
        var failuresOnV1 = traffic.Failures;
        var callsOnV1 = traffic.Calls;
        await MqttTestClient.WaitUntilAsync(() => traffic.Calls > callsOnV1 + 200, TimeSpan.FromSeconds(10), () => "calls on v1");
        var (_, failures) = await traffic.StopAsync();

        Assert.True(final.State == OtaJobStates.RolledBack, $"{OtaPublisher.Describe(final)}; live failures {failuresAtRollback}: {traffic.FirstFailure}");
        Assert.StartsWith("watch window: live error rate", final.Reason, StringComparison.Ordinal);
        Assert.Contains(Publisher.States.History, r => r.JobId == job.JobId && r.State == OtaJobStates.Activating);
        Assert.Equal("1.0.0", model.Version);
        Assert.True(failuresAtRollback > 0, "the live calls on v2 should have failed");
        Assert.Equal(failuresOnV1, failures); // none once v1 serves again
    }

    [Fact]
    public async Task Deploy_SecondJobWhileOneRuns_IsQueuedThenRuns()
    {
        await using var agent = await StartAgentAsync("dev-queue", o => o.BandwidthLimitBytesPerSecond = 2_000_000);
        var model = agent.Get<ActiveModel>();
        var v2 = await _bed.Packages.BuildAsync("2.0.0", rounds: 4, paddingBytes: 2_000_000);
        var v3 = await _bed.Packages.BuildAsync("3.0.0", rounds: 4);

        var first = await Publisher.DeployAsync("dev-queue", v2);
        await MqttTestClient.WaitUntilAsync(() => Publisher.States.Latest("dev-queue", first.JobId)?.State == OtaJobStates.Downloading, TimeSpan.FromSeconds(10), () => "first job downloading");
        var second = await Publisher.DeployAsync("dev-queue", v3);
        await MqttTestClient.WaitUntilAsync(() => Publisher.States.Latest("dev-queue", second.JobId) is not null, TimeSpan.FromSeconds(10), () => "second job reported");
        var queued = Publisher.States.Latest("dev-queue", second.JobId)!;

        Assert.Equal(OtaJobStates.Queued, queued.State);
        Assert.Contains("another job is running", queued.Reason, StringComparison.Ordinal);
        Assert.Equal(OtaJobStates.Succeeded, (await Publisher.WaitTerminalAsync("dev-queue", first.JobId)).State);
        Assert.Equal(OtaJobStates.Succeeded, (await Publisher.WaitTerminalAsync("dev-queue", second.JobId)).State);
        Assert.Equal("3.0.0", model.Version);
    }
}
