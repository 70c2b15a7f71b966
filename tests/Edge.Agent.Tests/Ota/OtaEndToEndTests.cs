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
    }
}
