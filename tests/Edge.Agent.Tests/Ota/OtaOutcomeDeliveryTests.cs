using Edge.Agent.Ota;
using Edge.Agent.Tests.Ota.Support;
using Edge.Agent.Tests.Support;
using Edge.Protocol.Ota;
using Xunit.Abstractions;

namespace Edge.Agent.Tests.Ota;

/// <summary>
/// A job's outcome is journaled before it is published. An agent that stops after the first and before the second
/// (here: the broker is down when the job ends, then the agent stops) must send the outcome after it restarts, or the
/// fleet would wait for ever on a job whose last report says it is still being watched.
/// </summary>
[Collection(OtaSerialGroup.Name)]
public sealed class OtaOutcomeDeliveryTests : IAsyncLifetime
{
    private const string Device = "dev-outcome";
    private readonly ITestOutputHelper _output;
    private OtaTestBed _bed = null!;

    public OtaOutcomeDeliveryTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public async Task InitializeAsync() => _bed = await OtaTestBed.StartAsync(persistence: true);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Agent_StoppedBeforeItsOutcomeWasPublished_SendsTheOutcomeAfterRestartOnce()
    {
        var v1 = await _bed.Packages.BuildAsync("1.0.0", rounds: 0);
        var v2 = await _bed.Packages.BuildAsync("2.0.0", rounds: 0);
        var first = await OtaAgent.StartAsync(_bed.Broker.Host, _bed.Broker.Port, Device, _bed.Packages, v1, _bed.DataDirectory);
        string jobId;
        try
        {
            var job = await _bed.Publisher.DeployAsync(Device, v2, OtaPublisher.FastGate(maxLatencyRatio: 3, watchSeconds: 2));
            jobId = job.JobId;
            await MqttTestClient.WaitUntilAsync(
                () => _bed.Publisher.States.History.Any(r => r.JobId == jobId && r.Phase == Edge.Agent.Ota.Jobs.Phases.Watch),
                TimeSpan.FromSeconds(60),
                () => "the watch window to start");
            await _bed.Broker.TerminateAsync();

            var journal = first.Get<OtaRuntime>().Journal;
            await MqttTestClient.WaitUntilAsync(() => journal.Find(jobId) is { IsTerminal: true }, TimeSpan.FromSeconds(30), () => "the job to end while the broker is down");
            var ended = journal.Find(jobId)!;
            Assert.Equal(OtaJobStates.Succeeded, ended.State);
            Assert.False(ended.OutcomeDelivered, "the outcome cannot have been acknowledged by a dead broker");
        }
        finally
        {
            await first.DisposeAsync();
        }

        Assert.DoesNotContain(_bed.Publisher.States.History, r => r.JobId == jobId && OtaJobStates.IsTerminal(r.State));
        await _bed.Broker.StartAgainAsync(CancellationToken.None);
        await _bed.Publisher.ReconnectAsync();

        await using (var second = await OtaAgent.StartAsync(_bed.Broker.Host, _bed.Broker.Port, Device, _bed.Packages, v1, _bed.DataDirectory))
        {
            var final = await _bed.Publisher.WaitTerminalAsync(Device, jobId, TimeSpan.FromSeconds(30));
            _output.WriteLine(OtaPublisher.Describe(final));
            Assert.Equal(OtaJobStates.Succeeded, final.State);
            Assert.Equal("2.0.0", final.ToVersion);
            Assert.Equal("2.0.0", final.ActiveVersion);
            Assert.Equal("2.0.0", second.Get<ActiveModel>().Version);
            var journal = second.Get<OtaRuntime>().Journal;
            await MqttTestClient.WaitUntilAsync(() => journal.Find(jobId) is { OutcomeDelivered: true }, TimeSpan.FromSeconds(10), () => "the journal to record the delivery");
        }

        // Delivered once: a third start has nothing left to send.
        var before = _bed.Publisher.States.History.Count(r => r.JobId == jobId && OtaJobStates.IsTerminal(r.State));
        await using (var third = await OtaAgent.StartAsync(_bed.Broker.Host, _bed.Broker.Port, Device, _bed.Packages, v1, _bed.DataDirectory))
        {
            Assert.Empty(third.Get<OtaRuntime>().Journal.Undelivered());
            await Task.Delay(500);
        }

        Assert.Equal(before, _bed.Publisher.States.History.Count(r => r.JobId == jobId && OtaJobStates.IsTerminal(r.State)));
    }
}
