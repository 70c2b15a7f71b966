using Edge.Fleet.Deployments;
using Edge.Fleet.Publishing;
using Edge.Packaging;

namespace Edge.Fleet.Serving;

/// <summary>
/// How a <c>serve</c> instance drives rollouts (given <c>--job-key</c>): the key that signs job documents, the keys
/// packages are verified against when taking a deployment over, and the lease timing.
/// </summary>
internal sealed class RolloutDriverOptions
{
    /// <summary>Signs every job document; owned by the caller.</summary>
    public required JobSigner Signer { get; init; }

    /// <summary>Keys whose package signatures are accepted (as <c>deploy --trust</c>).</summary>
    public required PackageTrust Trust { get; init; }

    /// <summary>Accept unsigned packages (development only, as <c>deploy --allow-unsigned</c>).</summary>
    public bool AllowUnsigned { get; init; }

    /// <summary>How long a lease lasts without renewal: after a <c>kill -9</c>, another instance takes over within this plus <see cref="PollInterval"/>. Default 15 s.</summary>
    public TimeSpan LeaseTtl { get; init; } = DeploymentLease.DefaultTtl;

    /// <summary>How often the instance looks for deployments nobody drives. Default 2 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Where copies of packages from the store are written. Default: a folder under the temporary directory.</summary>
    public string PackageCache { get; init; } = Path.Combine(Path.GetTempPath(), "edge-fleet-packages");

    /// <summary>Every problem with the options, all at once; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (LeaseTtl < TimeSpan.FromSeconds(2) || LeaseTtl > TimeSpan.FromMinutes(10))
        {
            errors.Add($"--lease: {LeaseTtl.TotalSeconds:G} s is outside 2 s to 10 min.");
        }

        if (PollInterval < TimeSpan.FromMilliseconds(100) || PollInterval >= LeaseTtl)
        {
            errors.Add($"Lease poll interval {PollInterval.TotalSeconds:G} s must be at least 0.1 s and shorter than the lease ({LeaseTtl.TotalSeconds:G} s).");
        }

        if (string.IsNullOrWhiteSpace(PackageCache))
        {
            errors.Add("--package-cache: empty path.");
        }

        return errors;
    }
}
