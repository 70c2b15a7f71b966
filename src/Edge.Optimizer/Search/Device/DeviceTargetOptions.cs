using Edge.Fleet.Connection;

namespace Edge.Optimizer.Search.Device;

/// <summary>How <c>auto</c> reaches the fleet for a device or group target. <see cref="Validate"/> lists every error.</summary>
internal sealed class DeviceTargetOptions
{
    /// <summary>The broker the devices use.</summary>
    public required BrokerOptions Broker { get; init; }

    /// <summary>The fleet id.</summary>
    public string? Fleet { get; init; }

    /// <summary>The operator's private key (PEM) that signs job documents.</summary>
    public string? JobKeyPath { get; init; }

    /// <summary>The private key (PEM) candidate packages are signed with; the devices must trust its public key.</summary>
    public string? SignKeyPath { get; init; }

    /// <summary>edge-fleet's store (<c>sqlite:PATH</c> or <c>postgres:…</c>), for group membership (<c>group:NAME</c>); null: edge-fleet's default.</summary>
    public string? Store { get; init; }

    /// <summary>How long one device may take for one candidate before <c>auto</c> goes on without it.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(Broker.Validate());
        if (!Edge.Protocol.TopicScheme.IsSingleLevel(Fleet))
        {
            errors.Add($"--fleet is required for a device or group target (or set EDGE_FLEET) and must be one topic level; got '{Fleet}'");
        }

        Check(errors, JobKeyPath, "--job-key", "the operator key that signs bench jobs (or set EDGE_FLEET_JOB_KEY)");
        Check(errors, SignKeyPath, "--sign-key", "the key candidate packages are signed with; devices refuse unsigned candidates");
        if (Timeout <= TimeSpan.Zero)
        {
            errors.Add($"--device-timeout must be positive, but was {Timeout}");
        }

        return errors;
    }

    private static void Check(List<string> errors, string? path, string option, string what)
    {
        if (string.IsNullOrEmpty(path))
        {
            errors.Add($"{option} is required for a device or group target: {what}");
        }
        else if (!File.Exists(path))
        {
            errors.Add($"{option} '{path}' {Edge.Sdk.IO.PathProblem.ForFile(path)}");
        }
    }
}
