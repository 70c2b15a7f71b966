using Edge.Agent.Ota;
using Edge.Agent.Tests.Ota.Support;
using Edge.Agent.Tests.Support;
using Edge.Protocol.Ota;

namespace Edge.Agent.Tests.Ota;

/// <summary>
/// Issue 17, case 4: a job id belongs to the job the device journaled under it. A refused document never reports
/// under a known id, and a finished job's document published again gets its recorded outcome again.
/// </summary>
[Collection(OtaSerialGroup.Name)]
public sealed class OtaJobIdOwnershipTests : IAsyncLifetime
{
    private const string Device = "dev-ids";
    private OtaTestBed _bed = null!;
    private string _v1 = null!;

    private OtaPublisher Publisher => _bed.Publisher;

    public async Task InitializeAsync()
    {
        _bed = await OtaTestBed.StartAsync();
        _v1 = await _bed.Packages.BuildAsync("1.0.0", rounds: 0);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task InvalidDocument_ReusingASucceededJobsId_LeavesItSucceeded()
    {
        await using var agent = await StartAgentAsync();
        var job = await Publisher.DeployAsync(Device, await _bed.Packages.BuildAsync("2.0.0", rounds: 0));
        var final = await Publisher.WaitTerminalAsync(Device, job.JobId);
        Assert.True(final.State == OtaJobStates.Succeeded, OtaPublisher.Describe(final));

        await Publisher.PublishRawAsync(Device, InvalidDocument(job.JobId));
        await Publisher.PublishRawAsync(Device, "{\"jobId\":\"" + job.JobId + "\",");
        await SyncAsync();

        Assert.DoesNotContain(Publisher.States.History, r => r.JobId == job.JobId && r.State == OtaJobStates.Failed);
        Assert.Equal(OtaJobStates.Succeeded, Publisher.States.Latest(Device, job.JobId)!.State);
        Assert.Equal(OtaJobStates.Succeeded, agent.Get<OtaRuntime>().Journal.Find(job.JobId)!.State);
    }

    [Fact]
    public async Task InvalidDocument_ReusingARunningJobsId_TheJobGoesOnToSucceed()
    {
        await using var agent = await StartAgentAsync();
        var job = await Publisher.DeployAsync(Device, await _bed.Packages.BuildAsync("2.0.0", rounds: 0), OtaPublisher.FastGate(watchSeconds: 3));
        await MqttTestClient.WaitUntilAsync(
            () => Publisher.States.History.Any(r => r.JobId == job.JobId && r.Phase == Edge.Agent.Ota.Jobs.Phases.Watch),
            TimeSpan.FromSeconds(60),
            () => "the watch window to start");

        await Publisher.PublishRawAsync(Device, InvalidDocument(job.JobId));
        var final = await Publisher.WaitTerminalAsync(Device, job.JobId, TimeSpan.FromSeconds(60));

        Assert.True(final.State == OtaJobStates.Succeeded, OtaPublisher.Describe(final));
        Assert.DoesNotContain(Publisher.States.History, r => r.JobId == job.JobId && r.State == OtaJobStates.Failed);
    }

    [Fact]
    public async Task InvalidDocument_WithAnUnknownId_IsReportedFailedUnderThatId()
    {
        await using var agent = await StartAgentAsync();

        await Publisher.PublishRawAsync(Device, InvalidDocument("never-seen-1"));
        var final = await Publisher.WaitTerminalAsync(Device, "never-seen-1");

        Assert.Equal(OtaJobStates.Failed, final.State);
        Assert.StartsWith("invalid job document (1 problem(s)): package.size is -5", final.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FinishedJob_PublishedAgain_ReportsItsRecordedOutcomeAgainWithoutRerunning()
    {
        await using var agent = await StartAgentAsync();
        var job = await Publisher.DeployAsync(Device, await _bed.Packages.BuildAsync("2.0.0", rounds: 0));
        var first = await Publisher.WaitTerminalAsync(Device, job.JobId);
        Assert.True(first.State == OtaJobStates.Succeeded, OtaPublisher.Describe(first));
        var downloads = Publisher.States.History.Count(r => r.JobId == job.JobId && r.State == OtaJobStates.Downloading);

        await Publisher.Jobs.PublishToDeviceAsync(Device, job, CancellationToken.None);
        await MqttTestClient.WaitUntilAsync(
            () => Publisher.States.History.Count(r => r.JobId == job.JobId && r.State == OtaJobStates.Succeeded) == 2,
            TimeSpan.FromSeconds(20),
            () => "the replayed job's outcome to be reported again");

        var again = Publisher.States.History.Last(r => r.JobId == job.JobId);
        Assert.Equal(OtaJobStates.Succeeded, again.State);
        Assert.Equal("2.0.0", again.ToVersion);
        Assert.Equal("2.0.0", again.ActiveVersion);
        Assert.Equal(downloads, Publisher.States.History.Count(r => r.JobId == job.JobId && r.State == OtaJobStates.Downloading));
    }

    private static string InvalidDocument(string jobId) =>
        "{\"schema\":\"edge.ota-job/1\",\"jobId\":\"" + jobId + "\",\"package\":{\"name\":\"mnist\",\"version\":\"9.0.0\",\"size\":-5,\"sha256\":\"" + new string('0', 64) + "\"}}";

    private Task<AgentHarness> StartAgentAsync() =>
        OtaAgent.StartAsync(_bed.Broker.Host, _bed.Broker.Port, Device, _bed.Packages, _v1, _bed.DataDirectory);

    /// <summary>
    /// Documents are taken in and reported in order: once a marker sent last is reported, every report about the
    /// documents before it has been published, so their absence can be asserted.
    /// </summary>
    private async Task SyncAsync()
    {
        var marker = "marker-" + Guid.NewGuid().ToString("N")[..8];
        await Publisher.PublishRawAsync(Device, InvalidDocument(marker));
        await Publisher.WaitTerminalAsync(Device, marker);
    }
}
