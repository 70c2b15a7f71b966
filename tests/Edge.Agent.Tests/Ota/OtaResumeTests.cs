using Edge.Agent.Tests.Ota.Support;
using Edge.Agent.Tests.Support;
using Edge.Protocol.Ota;
using Xunit.Abstractions;

namespace Edge.Agent.Tests.Ota;

/// <summary>A 50 MB transfer over MQTT survives a broker restart in the middle and resumes instead of starting over.</summary>
[Collection(OtaSerialGroup.Name)]
public sealed class OtaResumeTests : IAsyncLifetime
{
    private const string Device = "dev-resume";
    private readonly ITestOutputHelper _output;
    private OtaTestBed _bed = null!;

    public OtaResumeTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public async Task InitializeAsync() => _bed = await OtaTestBed.StartAsync(persistence: true);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Transfer_BrokerRestartedMidway_ResumesWithUnderTenPercentResent()
    {
        var v1 = await _bed.Packages.BuildAsync("1.0.0", rounds: 0);
        var v2 = await _bed.Packages.BuildAsync("2.0.0", rounds: 0, paddingBytes: 50L * 1024 * 1024);
        await using var agent = await OtaAgent.StartAsync(_bed.Broker.Host, _bed.Broker.Port, Device, _bed.Packages, v1, _bed.DataDirectory, o =>
        {
            o.BandwidthLimitBytesPerSecond = 20L * 1024 * 1024; // about 2.5 s of transfer, so the restart lands in the middle
            o.ProgressInterval = TimeSpan.FromMilliseconds(100);
        });
        var job = await _bed.Publisher.DeployAsync(Device, v2, transfer: new OtaTransfer { ChunkSize = 128 * 1024 });
        var size = job.Package.Size;

        await MqttTestClient.WaitUntilAsync(
            () => _bed.Publisher.States.History.Any(r => r.JobId == job.JobId && r.Progress?.BytesReceived > size * 2 / 5),
            TimeSpan.FromSeconds(60),
            () => "40% of the package received");
        await _bed.Broker.TerminateAsync();
        var heldAtRestart = _bed.Publisher.States.History.Last(r => r.JobId == job.JobId && r.Progress is not null).Progress!.BytesReceived;
        await Task.Delay(1000);
        await _bed.Broker.StartAgainAsync(CancellationToken.None);
        await _bed.Publisher.ReconnectAsync();

        var final = await _bed.Publisher.WaitTerminalAsync(Device, job.JobId, TimeSpan.FromSeconds(120));
        var resent = _bed.Publisher.Chunks.BytesServed - size;
        _output.WriteLine($"package {size} bytes, held at restart {heldAtRestart}, served {_bed.Publisher.Chunks.BytesServed}, re-sent {resent} ({100.0 * resent / size:F2}%)");

        Assert.True(final.State == OtaJobStates.Succeeded, OtaPublisher.Describe(final));
        Assert.Equal("2.0.0", agent.Get<ActiveModel>().Version);
        Assert.True(heldAtRestart < size, "the restart came after the transfer had finished");
        Assert.True(resent < size / 10, $"{resent} bytes re-sent for a {size}-byte package ({100.0 * resent / size:F2}%), expected under 10%");
    }
}
