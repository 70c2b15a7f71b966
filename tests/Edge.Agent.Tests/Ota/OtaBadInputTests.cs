using System.Security.Cryptography;
using System.Text;
using Edge.Agent.Ota.Transfer;
using Edge.Agent.Tests.Ota.Support;
using Edge.Agent.Tests.Support;
using Edge.Protocol.Ota;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Agent.Tests.Ota;

/// <summary>Every bad input of the issue is refused with a reason and leaves the active model untouched.</summary>
[Collection(OtaSerialGroup.Name)]
public sealed class OtaBadInputTests : IAsyncLifetime
{
    private const string Device = "dev-bad";
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
    public async Task Deploy_UntrustedSignature_FailsAndV1Stays()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var package = await _bed.Packages.BuildAsync("2.0.0", rounds: 0, signer: stranger);
        var final = await RunRefusedAsync(package);
        Assert.Contains("UntrustedSigner", final.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_HashDiffersAfterDownload_Fails()
    {
        var package = await _bed.Packages.BuildAsync("2.0.0", rounds: 0);
        var final = await RunRefusedAsync(package, change: j => j with { Package = j.Package with { Sha256 = new string('a', 64) } });
        Assert.StartsWith("hash mismatch after download", final.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_TruncatedTransfer_Fails()
    {
        var package = await _bed.Packages.BuildAsync("2.0.0", rounds: 0);
        var final = await RunRefusedAsync(package, change: j => j with { Package = j.Package with { Size = j.Package.Size + 300_000 } });
        Assert.StartsWith("truncated transfer", final.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_JobForAnotherTarget_FailsBeforeDownloading()
    {
        var package = await _bed.Packages.BuildAsync("2.0.0", rounds: 0);
        var final = await RunRefusedAsync(package, change: j => j with { Constraints = new OtaConstraints { Target = new OtaTarget { Architectures = ["riscv64"], ExecutionProviders = ["cpu"] } } });
        Assert.StartsWith("job for another target: architecture", final.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Publisher.States.History, r => r.JobId == final.JobId && r.State == OtaJobStates.Downloading);
    }

    [Fact]
    public async Task Deploy_PackageBuiltForAnotherTarget_FailsVerification()
    {
        var package = await _bed.Packages.BuildAsync("2.0.0", rounds: 0, architectures: ["riscv64"]);
        var final = await RunRefusedAsync(package);
        Assert.Contains("TargetMismatch", final.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_Downgrade_FailsUnlessAllowed()
    {
        var package = await _bed.Packages.BuildAsync("0.9.0", rounds: 0);
        var final = await RunRefusedAsync(package);
        Assert.StartsWith("downgrade refused: version 0.9.0 is not newer than the active 1.0.0", final.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_DowngradeAllowed_Succeeds()
    {
        await using var agent = await StartAgentAsync();
        var package = await _bed.Packages.BuildAsync("0.9.0", rounds: 0);
        var job = await Publisher.DeployAsync(Device, package, allowDowngrade: true);
        var final = await Publisher.WaitTerminalAsync(Device, job.JobId);
        Assert.True(final.State == OtaJobStates.Succeeded, OtaPublisher.Describe(final));
        Assert.Equal("0.9.0", agent.Get<ActiveModel>().Version);
    }

    [Fact]
    public async Task Deploy_DiskFull_FailsBeforeDownloading()
    {
        var package = await _bed.Packages.BuildAsync("2.0.0", rounds: 0);
        var final = await RunRefusedAsync(package, services: s => s.AddSingleton<IDiskSpace>(new FixedDiskSpace(10_000)));
        Assert.StartsWith("disk full: the job needs", final.Reason, StringComparison.Ordinal);
        Assert.Contains("10000 are available", final.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_MalformedJson_ReportedAsFailed()
    {
        await using var agent = await StartAgentAsync();
        await PublishRawJobAsync("{\"schema\":\"edge.ota-job/1\",\"jobId\":\"broken-1\",");
        var malformed = await Publisher.WaitTerminalAsync(Device, "invalid");
        Assert.StartsWith("malformed job JSON", malformed.Reason, StringComparison.Ordinal);

        await PublishRawJobAsync("{\"schema\":\"edge.ota-job/1\",\"jobId\":\"bad-fields-1\",\"package\":{\"name\":\"Mnist!\",\"version\":\"2\",\"size\":-5,\"sha256\":\"xyz\"},\"transfer\":{\"method\":\"ftp\",\"chunkSize\":10}}", signed: true);
        var invalid = await Publisher.WaitTerminalAsync(Device, "bad-fields-1");
        Assert.StartsWith("invalid job document (6 problem(s))", invalid.Reason, StringComparison.Ordinal);
        foreach (var field in new[] { "package.name", "package.version", "package.size", "package.sha256", "transfer.method", "transfer.chunkSize" })
        {
            Assert.Contains(field, invalid.Reason, StringComparison.Ordinal);
        }

        await AssertUntouchedAsync(agent);
    }

    [Fact]
    public async Task Deploy_ChunksTwiceOutOfOrderAndCorrupted_IgnoredRejectedAndCompleted()
    {
        await using var agent = await StartAgentAsync();
        var package = await _bed.Packages.BuildAsync("2.0.0", rounds: 0, paddingBytes: 600_000);
        var corrupted = 0;
        Publisher.Chunks.FrameFilter = frames =>
        {
            // Every frame twice, in reverse order, and the first data frame of all with one flipped data byte.
            var doubled = frames.Concat(frames).Reverse().ToList();
            if (Interlocked.Exchange(ref corrupted, 1) == 0)
            {
                var bad = (byte[])doubled[0].Clone();
                bad[^1] ^= 0xFF;
                doubled[0] = bad;
            }

            return doubled;
        };
        var job = await Publisher.DeployAsync(Device, package, transfer: new OtaTransfer { ChunkSize = 64 * 1024 });
        var final = await Publisher.WaitTerminalAsync(Device, job.JobId);
        var downloading = Publisher.States.History.Last(r => r.JobId == job.JobId && r.State == OtaJobStates.Downloading && r.Progress is not null);

        Assert.True(final.State == OtaJobStates.Succeeded, OtaPublisher.Describe(final));
        Assert.True(downloading.Progress!.DuplicateChunks > 0, "duplicates were not counted");
        Assert.Equal(1, downloading.Progress.RejectedChunks);
        Assert.Equal(downloading.Progress.TotalBytes, downloading.Progress.BytesReceived);
    }

    [Fact]
    public async Task Deploy_OverHttpWithDroppedConnection_ResumesWithRange()
    {
        await using var agent = await StartAgentAsync();
        var package = await _bed.Packages.BuildAsync("2.0.0", rounds: 0, paddingBytes: 600_000);
        using var server = new RangeHttpServer(package, cutFirstResponseAfterBytes: 300_000);
        var job = await Publisher.DeployAsync(Device, package, transfer: new OtaTransfer { Method = OtaTransferMethods.Http, Url = server.Url.ToString(), ChunkSize = 64 * 1024 });
        var final = await Publisher.WaitTerminalAsync(Device, job.JobId);

        Assert.True(final.State == OtaJobStates.Succeeded, OtaPublisher.Describe(final));
        Assert.Equal("2.0.0", agent.Get<ActiveModel>().Version);
        Assert.Equal(2, server.Ranges.Count);
        Assert.Equal("bytes=0-" + (job.Package.Size - 1), server.Ranges[0]);
        Assert.Equal($"bytes={4 * 64 * 1024}-{job.Package.Size - 1}", server.Ranges[1]); // 300,000 bytes held 4 whole chunks
        Assert.True(server.BytesSent < job.Package.Size + (64 * 1024), $"{server.BytesSent} bytes sent for a {job.Package.Size}-byte package");
    }

    private Task<AgentHarness> StartAgentAsync(Action<IServiceCollection>? services = null) =>
        OtaAgent.StartAsync(_bed.Broker.Host, _bed.Broker.Port, Device, _bed.Packages, _v1, _bed.DataDirectory, services: services);

    private async Task<OtaJobStateReport> RunRefusedAsync(string package, Func<OtaJobDocument, OtaJobDocument>? change = null, Action<IServiceCollection>? services = null)
    {
        await using var agent = await StartAgentAsync(services);
        var job = await Publisher.DeployAsync(Device, package, change: change);
        var final = await Publisher.WaitTerminalAsync(Device, job.JobId);
        Assert.True(final.State == OtaJobStates.Failed, OtaPublisher.Describe(final));
        Assert.Equal("1.0.0", final.ActiveVersion);
        await AssertUntouchedAsync(agent);
        return final;
    }

    private async Task AssertUntouchedAsync(AgentHarness agent)
    {
        var model = agent.Get<ActiveModel>();
        Assert.Equal("1.0.0", model.Version);
        Assert.Equal("a", model.Slot);
        Assert.Equal(10, OtaAgent.Infer(model).Length);
        var pointer = await File.ReadAllTextAsync(Path.Combine(_bed.DataDirectory, "active.json"));
        Assert.Contains("\"version\": \"1.0.0\"", pointer, StringComparison.Ordinal);
        Assert.DoesNotContain("trialJobId", pointer, StringComparison.Ordinal);
    }

    /// <summary>Publishes <paramref name="payload"/> as it is, or (<paramref name="signed"/>) signed by the operator key, so the document's own checks are reached.</summary>
    private async Task PublishRawJobAsync(string payload, bool signed = false)
    {
        using var signer = _bed.Packages.CreateJobSigner();
        var bytes = Encoding.UTF8.GetBytes(payload);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(OtaTopics.DeviceJob(OtaPublisher.Fleet, Device))
            .WithPayload(signed ? signer.SignDocument(bytes) : bytes)
            .WithRetainFlag()
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await Publisher.Client.PublishAsync(message);
    }

    private sealed class FixedDiskSpace(long bytes) : IDiskSpace
    {
        public long AvailableBytes(string path) => bytes;
    }
}
