using System.Security.Cryptography;
using System.Text.Json;
using Edge.Agent.Ota;
using Edge.Agent.Ota.Transfer;
using Edge.Agent.Tests.Ota.Support;
using Edge.Agent.Tests.Support;
using Edge.Fleet.Publishing;
using Edge.Protocol.Ota;
using Edge.TestUtilities.Packaging;
using Microsoft.Extensions.DependencyInjection;

namespace Edge.Agent.Tests.Ota;

/// <summary>
/// Issue 17, case 1 and 2: whatever goes wrong in one job, it ends as failed with its reason, leaves no download or
/// staging files, and the next job runs. Each test sends a bad job, then a good one, which must succeed.
/// </summary>
[Collection(OtaSerialGroup.Name)]
public sealed class OtaJobFailureTests : IAsyncLifetime
{
    private const string Device = "dev-fail";
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
    public async Task Deploy_PackageSizeAtLongMaxValue_RefusedAsInvalidAndTheNextJobSucceeds()
    {
        await using var agent = await StartAgentAsync();
        var template = await JobForAsync(await _bed.Packages.BuildAsync("1.5.0", rounds: 0), "huge-size-1");
        var huge = template with { Package = template.Package with { Size = long.MaxValue } };
        await Publisher.PublishRawAsync(Device, JsonSerializer.Serialize(huge, OtaJsonContext.Default.OtaJobDocument));

        var final = await Publisher.WaitTerminalAsync(Device, huge.JobId);

        Assert.True(final.State == OtaJobStates.Failed, OtaPublisher.Describe(final));
        Assert.Contains($"package.size is {long.MaxValue}, expected 1 to {OtaOptions.DefaultMaxPackageBytes} bytes", final.Reason, StringComparison.Ordinal);
        await AssertNextJobSucceedsAsync(agent, huge.JobId);
    }

    [Fact]
    public async Task Deploy_PackageAboveTheDevicesMaximum_RefusedNamingTheSetting()
    {
        await using var agent = await StartAgentAsync(configure: o => o.MaxPackageBytes = 4096);
        var job = await JobForAsync(await _bed.Packages.BuildAsync("1.5.0", rounds: 0), "too-big-1");
        await Publisher.PublishRawAsync(Device, JsonSerializer.Serialize(job, OtaJsonContext.Default.OtaJobDocument));

        var final = await Publisher.WaitTerminalAsync(Device, job.JobId);

        Assert.True(final.State == OtaJobStates.Failed, OtaPublisher.Describe(final));
        Assert.Contains($"package.size is {job.Package.Size}, expected 1 to 4096 bytes", final.Reason, StringComparison.Ordinal);
        Assert.Null(agent.Get<OtaRuntime>().Journal.Find(job.JobId));
    }

    [Fact]
    public async Task Deploy_UnexpectedExceptionInAStep_FailsTheJobAndTheNextJobSucceeds()
    {
        var disk = new FailingOnceDiskSpace();
        await using var agent = await StartAgentAsync(services: s => s.AddSingleton<IDiskSpace>(disk));
        var job = await Publisher.DeployAsync(Device, await _bed.Packages.BuildAsync("1.5.0", rounds: 0));

        var final = await Publisher.WaitTerminalAsync(Device, job.JobId);

        Assert.True(final.State == OtaJobStates.Failed, OtaPublisher.Describe(final));
        Assert.Equal($"internal error (InvalidOperationException): {FailingOnceDiskSpace.Message}", final.Reason);
        Assert.Equal("1.0.0", final.ActiveVersion);
        await AssertNextJobSucceedsAsync(agent, job.JobId);
    }

    [Theory]
    [InlineData("pax", "pax extended header")]
    [InlineData("gnu", "GNU long name")]
    public async Task Deploy_PackageWithTarHeaderClaiming2GiB_FailsAsCorruptArchiveAndTheNextJobSucceeds(string kind, string named)
    {
        await using var agent = await StartAgentAsync();
        var bomb = Path.Combine(_bed.Packages.Root, $"{kind}-bomb.edgepkg");
        var bytes = kind == "pax" ? HostileTar.PaxHeaderBomb() : HostileTar.GnuLongNameBomb();
        await File.WriteAllBytesAsync(bomb, bytes);
        var template = await JobForAsync(await _bed.Packages.BuildAsync("1.5.0", rounds: 0), $"{kind}-bomb-1");
        var job = template with { Package = template.Package with { Size = bytes.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)) } };
        Publisher.Chunks.Serve(job, bomb);
        await Publisher.Jobs.PublishToDeviceAsync(Device, job, CancellationToken.None);

        var final = await Publisher.WaitTerminalAsync(Device, job.JobId);

        Assert.True(final.State == OtaJobStates.Failed, OtaPublisher.Describe(final));
        Assert.StartsWith("package refused (CorruptArchive)", final.Reason, StringComparison.Ordinal);
        Assert.Contains($"{named} (", final.Reason, StringComparison.Ordinal);
        Assert.Contains($"claims {HostileTar.HugeHeaderBytes} bytes", final.Reason, StringComparison.Ordinal);
        await AssertNextJobSucceedsAsync(agent, job.JobId);
    }

    private Task<AgentHarness> StartAgentAsync(Action<OtaOptions>? configure = null, Action<IServiceCollection>? services = null) =>
        OtaAgent.StartAsync(_bed.Broker.Host, _bed.Broker.Port, Device, _bed.Packages, _v1, _bed.DataDirectory, configure, services);

    private static Task<OtaJobDocument> JobForAsync(string package, string jobId) =>
        JobPublisher.CreateJobAsync(package, jobId, new OtaTransfer(), OtaPublisher.FastGate(), false, null, DateTimeOffset.UnixEpoch, CancellationToken.None);

    /// <summary>The queue still runs: a good job sent after the bad one succeeds, and the bad one left no files.</summary>
    private async Task AssertNextJobSucceedsAsync(AgentHarness agent, string badJobId)
    {
        var job = await Publisher.DeployAsync(Device, await _bed.Packages.BuildAsync("2.0.0", rounds: 0));
        var final = await Publisher.WaitTerminalAsync(Device, job.JobId, TimeSpan.FromSeconds(60));
        Assert.True(final.State == OtaJobStates.Succeeded, OtaPublisher.Describe(final));
        Assert.Equal("2.0.0", agent.Get<ActiveModel>().Version);

        var runtime = agent.Get<OtaRuntime>();
        Assert.False(File.Exists(Path.Combine(runtime.DownloadsFolder, badJobId + ".part")), "the bad job's .part file is left");
        Assert.False(File.Exists(Path.Combine(runtime.DownloadsFolder, badJobId + ".chunks")), "the bad job's .chunks file is left");
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(_bed.DataDirectory, "slots"), ".*.staging-*"));
        Assert.DoesNotContain(runtime.Journal.Unfinished(), r => r.Job.JobId == badJobId);
    }

    /// <summary>A disk whose first query throws what no step expects (a bug, not a job problem); later ones answer.</summary>
    private sealed class FailingOnceDiskSpace : IDiskSpace
    {
        public const string Message = "the disk query broke (test)";
        private int _calls;

        public long AvailableBytes(string path) =>
            Interlocked.Increment(ref _calls) == 1 ? throw new InvalidOperationException(Message) : long.MaxValue / 4;
    }
}
