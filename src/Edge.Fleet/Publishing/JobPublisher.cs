using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Fleet.Publishing;

/// <summary>
/// Publishes job documents, retained at QoS 1, on a device's or a group's job topic (docs/protocol.md, OTA), after
/// checking them with the same validator the device uses, signed with the operator key (<see cref="JobSigner"/>;
/// devices refuse unsigned jobs). A retained job reaches devices that are offline now.
/// </summary>
internal sealed class JobPublisher
{
    private readonly IMqttClient _client;
    private readonly string _fleet;
    private readonly JobSigner _signer;

    /// <param name="client">The connected client; not owned.</param>
    /// <param name="fleet">The fleet id.</param>
    /// <param name="signer">The operator key that signs every job; not owned.</param>
    public JobPublisher(IMqttClient client, string fleet, JobSigner signer)
    {
        _client = client;
        _fleet = fleet;
        _signer = signer;
    }

    /// <summary>Builds a job for <paramref name="packagePath"/> (name, version, size and hash read from the file).</summary>
    public static async Task<OtaJobDocument> CreateJobAsync(string packagePath, string jobId, OtaTransfer transfer, OtaHealthGate? gate, bool allowDowngrade, OtaConstraints? constraints, DateTimeOffset createdUtc, CancellationToken cancellationToken)
    {
        var package = await PackageInfoReader.ReadAsync(packagePath, cancellationToken);
        return CreateJob(package, jobId, transfer, gate, allowDowngrade, constraints, createdUtc);
    }

    /// <summary>Builds a job for a package already described (and, by the CLI, verified): <paramref name="package"/>.</summary>
    public static OtaJobDocument CreateJob(
        OtaPackageInfo package, string jobId, OtaTransfer transfer, OtaHealthGate? gate, bool allowDowngrade, OtaConstraints? constraints, DateTimeOffset createdUtc)
    {
        var job = new OtaJobDocument
        {
            JobId = jobId,
            CreatedUtc = createdUtc,
            Package = package,
            Transfer = transfer,
            AllowDowngrade = allowDowngrade,
            HealthGate = gate ?? new OtaHealthGate(),
            Constraints = constraints ?? new OtaConstraints(),
        };
        var errors = OtaJobValidator.Validate(job);
        return errors.Count == 0 ? job : throw new ArgumentException($"The job document is invalid: {string.Join("; ", errors)}.");
    }

    public Task PublishToDeviceAsync(string device, OtaJobDocument job, CancellationToken cancellationToken) =>
        PublishAsync(OtaTopics.DeviceJob(_fleet, device), job, cancellationToken);

    public Task PublishToGroupAsync(string group, OtaJobDocument job, CancellationToken cancellationToken) =>
        PublishAsync(OtaTopics.GroupJob(_fleet, group), job, cancellationToken);

    /// <summary>Clears a retained job topic (an empty retained message); devices ignore it and keep what they run.</summary>
    public async Task ClearAsync(string topic, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        await _client.PublishAsync(message, cancellationToken);
    }

    private async Task PublishAsync(string topic, OtaJobDocument job, CancellationToken cancellationToken)
    {
        var errors = OtaJobValidator.Validate(job);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The job document is invalid: {string.Join("; ", errors)}.", nameof(job));
        }

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(_signer.Sign(job))
            .WithRetainFlag()
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var result = await _client.PublishAsync(message, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new IOException($"The broker refused the job on '{topic}': {result.ReasonCode} {result.ReasonString}.");
        }
    }
}
