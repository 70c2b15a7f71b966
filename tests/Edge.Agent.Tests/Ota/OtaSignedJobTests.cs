using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Edge.Agent.Tests.Ota.Support;
using Edge.Agent.Tests.Support;
using Edge.Fleet.Publishing;
using Edge.Protocol.Ota;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Agent.Tests.Ota;

/// <summary>
/// Signed jobs (docs/protocol.md) with the real agent on a real Mosquitto: only a job document signed by a key in
/// <c>Ota:TrustedJobKeyFiles</c> is run. Every refused job is served (its chunks answered), so a device that wrongly
/// accepted one would install it, and the test would see the version change.
/// </summary>
[Collection(OtaSerialGroup.Name)]
public sealed class OtaSignedJobTests : IAsyncLifetime
{
    private const string Device = "dev-signed";
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
    public async Task Job_Unsigned_RefusedWithReasonAndModelUntouched()
    {
        await using var agent = await StartAgentAsync();
        var job = await ServedJobAsync(await _bed.Packages.BuildAsync("2.0.0", rounds: 0), "unsigned-1");

        var final = await PublishAndWaitAsync(job.JobId, JsonSerializer.SerializeToUtf8Bytes(job, OtaJsonContext.Default.OtaJobDocument));

        Assert.StartsWith("unsigned job document refused", final.Reason, StringComparison.Ordinal);
        AssertUntouched(agent, final);
    }

    [Fact]
    public async Task Job_SignedByForeignKey_RefusedAsUntrustedSigner()
    {
        await using var agent = await StartAgentAsync();
        var job = await ServedJobAsync(await _bed.Packages.BuildAsync("2.0.0", rounds: 0), "foreign-1");
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var foreign = JobSigner.FromPem(stranger.ExportPkcs8PrivateKeyPem(), "a stranger's key");

        var final = await PublishAndWaitAsync(job.JobId, foreign.Sign(job));

        Assert.StartsWith("job signature refused (UntrustedSigner)", final.Reason, StringComparison.Ordinal);
        AssertUntouched(agent, final);
    }

    [Fact]
    public async Task Job_SignedThenTampered_RefusedAsSignatureInvalid()
    {
        await using var agent = await StartAgentAsync();
        var v09 = await _bed.Packages.BuildAsync("0.9.0", rounds: 0);
        var job = await ServedJobAsync(v09, "tampered-1");
        using var signer = _bed.Packages.CreateJobSigner();
        var envelope = JsonSerializer.Deserialize(signer.Sign(job), OtaJsonContext.Default.OtaSignedJob)!;

        // The operator signed a job without the downgrade permission; someone on the path grants it.
        var altered = JsonSerializer.SerializeToUtf8Bytes(job with { AllowDowngrade = true }, OtaJsonContext.Default.OtaJobDocument);
        var tampered = envelope with { Job = Convert.ToBase64String(altered) };
        var final = await PublishAndWaitAsync(job.JobId, JsonSerializer.SerializeToUtf8Bytes(tampered, OtaJsonContext.Default.OtaSignedJob));

        Assert.StartsWith("job signature refused (SignatureInvalid)", final.Reason, StringComparison.Ordinal);
        Assert.Contains("altered after signing", final.Reason, StringComparison.Ordinal);
        AssertUntouched(agent, final);
    }

    [Fact]
    public async Task Job_SignedByOperator_Succeeds()
    {
        await using var agent = await StartAgentAsync();
        var job = await Publisher.DeployAsync(Device, await _bed.Packages.BuildAsync("2.0.0", rounds: 0));

        var final = await Publisher.WaitTerminalAsync(Device, job.JobId);

        Assert.True(final.State == OtaJobStates.Succeeded, OtaPublisher.Describe(final));
        Assert.Equal("2.0.0", agent.Get<ActiveModel>().Version);
    }

    [Fact]
    public async Task Downgrade_UnsignedJobWithAllowDowngradeForOlderSignedPackage_Refused()
    {
        // Issue 17: with only its own broker password a device published, on its own job topic, a retained job for an
        // older (properly signed) package with allowDowngrade: true, and downgraded itself.
        await using var agent = await StartAgentAsync();
        var older = await _bed.Packages.BuildAsync("0.9.0", rounds: 0);
        var job = await ServedJobAsync(older, "downgrade-1") with { AllowDowngrade = true };

        var final = await PublishAndWaitAsync(job.JobId, JsonSerializer.SerializeToUtf8Bytes(job, OtaJsonContext.Default.OtaJobDocument));

        Assert.StartsWith("unsigned job document refused", final.Reason, StringComparison.Ordinal);
        AssertUntouched(agent, final);

        // The same job signed by the operator is honoured: the refusal above was the signature, nothing else.
        var signed = await Publisher.DeployAsync(Device, older, allowDowngrade: true);
        var allowed = await Publisher.WaitTerminalAsync(Device, signed.JobId);
        Assert.True(allowed.State == OtaJobStates.Succeeded, OtaPublisher.Describe(allowed));
        Assert.Equal("0.9.0", agent.Get<ActiveModel>().Version);
    }

    private Task<AgentHarness> StartAgentAsync() =>
        OtaAgent.StartAsync(_bed.Broker.Host, _bed.Broker.Port, Device, _bed.Packages, _v1, _bed.DataDirectory);

    private async Task<OtaJobDocument> ServedJobAsync(string package, string id)
    {
        var job = await JobPublisher.CreateJobAsync(package, id, new OtaTransfer(), OtaPublisher.FastGate(), false, null, TimeProvider.System.GetUtcNow(), CancellationToken.None);
        Publisher.Chunks.Serve(job, package);
        return job;
    }

    private async Task<OtaJobStateReport> PublishAndWaitAsync(string jobId, byte[] payload)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(OtaTopics.DeviceJob(OtaPublisher.Fleet, Device))
            .WithPayload(payload)
            .WithRetainFlag()
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await Publisher.Client.PublishAsync(message);
        var final = await Publisher.WaitTerminalAsync(Device, jobId);
        Assert.True(final.State == OtaJobStates.Failed, OtaPublisher.Describe(final) + " payload: " + Encoding.UTF8.GetString(payload));
        return final;
    }

    private static void AssertUntouched(AgentHarness agent, OtaJobStateReport final)
    {
        Assert.Equal("1.0.0", final.ActiveVersion);
        Assert.Equal("1.0.0", agent.Get<ActiveModel>().Version);
        Assert.Equal(10, OtaAgent.Infer(agent.Get<ActiveModel>()).Length);
    }
}
