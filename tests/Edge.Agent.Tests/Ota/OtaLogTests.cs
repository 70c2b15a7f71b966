using Edge.Agent.Diagnostics;
using Edge.Agent.Tests.Ota.Support;
using Edge.Protocol.Ota;
using Microsoft.Extensions.DependencyInjection;

namespace Edge.Agent.Tests.Ota;

/// <summary>
/// What an operator reads in the log during OTA jobs: one that succeeds and one the health gate refuses, through the
/// real test bed (Mosquitto, real packages, ONNX Runtime). Read from the agent's ring buffer, which keeps each
/// record's formatted message exactly as the console logger formats it.
/// </summary>
[Collection(OtaSerialGroup.Name)]
public sealed class OtaLogTests : IAsyncLifetime
{
    private OtaTestBed _bed = null!;
    private string _v1 = null!;

    public async Task InitializeAsync()
    {
        _bed = await OtaTestBed.StartAsync();
        _v1 = await _bed.Packages.BuildAsync("1.0.0", rounds: 4);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Log_SucceededAndRefusedJobs_StatesReadWithoutNull()
    {
        await using var agent = await OtaAgent.StartAsync(
            _bed.Broker.Host, _bed.Broker.Port, "dev-log", _bed.Packages, _v1, _bed.DataDirectory, services: s => s.Configure<EdgeAgentOptions>(o => o.Commands.DiagnosticLogCapacity = 10_000));
        var good = await _bed.Packages.BuildAsync("2.0.0", rounds: 4, drift: 0);
        var broken = await _bed.Packages.BuildAsync("3.0.0", rounds: 4, drift: 1f, goldenDrift: 0);

        var first = await _bed.Publisher.DeployAsync("dev-log", good);
        Assert.Equal(OtaJobStates.Succeeded, (await _bed.Publisher.WaitTerminalAsync("dev-log", first.JobId)).State);
        var second = await _bed.Publisher.DeployAsync("dev-log", broken);
        Assert.Equal(OtaJobStates.RolledBack, (await _bed.Publisher.WaitTerminalAsync("dev-log", second.JobId)).State);

        var messages = agent.Get<LogRingBuffer>().Recent(int.MaxValue).Select(r => r.Message).ToList();
        Assert.Contains($"OTA job {first.JobId}: queued", messages);
        Assert.Contains(messages, m => m.StartsWith($"OTA job {second.JobId}: {OtaJobStates.RolledBack}", StringComparison.Ordinal) && m.Contains("golden sample", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Contains("(null)", StringComparison.Ordinal));
    }
}
