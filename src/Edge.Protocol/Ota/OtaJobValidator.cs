using System.Text.RegularExpressions;

namespace Edge.Protocol.Ota;

/// <summary>Checks a job document; the publisher before it publishes, the device before it acts. Lists every problem at once.</summary>
public static partial class OtaJobValidator
{
    /// <summary>Smallest <c>transfer.chunkSize</c>: 4 KiB.</summary>
    public const int MinChunkSize = 4 * 1024;
    /// <summary>Largest <c>transfer.chunkSize</c>: 4 MiB.</summary>
    public const int MaxChunkSize = 4 * 1024 * 1024;

    /// <summary>
    /// The protocol's bound on <c>package.size</c>: 1 TiB. A device bounds it further by its own setting; with both,
    /// every size, offset and disk figure derived from a job fits a <see cref="long"/> with room to spare.
    /// </summary>
    public const long MaxPackageBytesLimit = 1L << 40;

    /// <summary>Lists every problem of <paramref name="job"/>; <paramref name="maxPackageBytes"/> bounds <c>package.size</c> (at most <see cref="MaxPackageBytesLimit"/>).</summary>
    public static IReadOnlyList<string> Validate(OtaJobDocument job, long maxPackageBytes = MaxPackageBytesLimit)
    {
        maxPackageBytes = Math.Clamp(maxPackageBytes, 1, MaxPackageBytesLimit);
        var errors = new List<string>();

        // JSON null can reach members the type declares non-null; name them instead of failing on them.
        AddIfNull(errors, job.JobId, "jobId");
        AddIfNull(errors, job.Package, "package");
        AddIfNull(errors, job.Transfer, "transfer");
        AddIfNull(errors, job.Constraints, "constraints");
        AddIfNull(errors, job.HealthGate, "healthGate");
        AddIfNull(errors, job.Package?.Name, "package.name");
        AddIfNull(errors, job.Package?.Version, "package.version");
        AddIfNull(errors, job.Package?.Sha256, "package.sha256");
        AddIfNull(errors, job.Constraints?.Target is { } t ? t.Architectures : [], "constraints.target.architectures");
        AddIfNull(errors, job.Constraints?.Target is { } u ? u.ExecutionProviders : [], "constraints.target.executionProviders");
        if (errors.Count > 0)
        {
            return errors;
        }

        if (job.Schema != OtaSchemas.Job)
        {
            errors.Add($"schema is '{job.Schema}', expected '{OtaSchemas.Job}'");
        }

        if (!JobIdPattern().IsMatch(job.JobId))
        {
            errors.Add($"jobId '{job.JobId}' must be 1-64 letters, digits, '-', '_' or '.'");
        }

        var package = job.Package!;
        if (!PackageNamePattern().IsMatch(package.Name))
        {
            errors.Add($"package.name '{package.Name}' must be 1-100 of a-z 0-9 . _ - starting with a letter or digit");
        }

        if (!VersionPattern().IsMatch(package.Version))
        {
            errors.Add($"package.version '{package.Version}' is not a Semantic Versioning 2.0.0 version");
        }

        if (package.Size <= 0 || package.Size > maxPackageBytes)
        {
            errors.Add($"package.size is {package.Size}, expected 1 to {maxPackageBytes} bytes (the most this device accepts)");
        }

        if (!Sha256Pattern().IsMatch(package.Sha256))
        {
            errors.Add($"package.sha256 '{package.Sha256}' must be 64 lowercase hex digits");
        }

        ValidateTransfer(job.Transfer, errors);
        if (job.Constraints!.MinimumAgentVersion is { } minimum && !VersionPattern().IsMatch(minimum))
        {
            errors.Add($"constraints.minimumAgentVersion '{minimum}' is not a Semantic Versioning 2.0.0 version");
        }

        if (job.Constraints.Target is { } target && (target.Architectures.Count == 0 || target.ExecutionProviders.Count == 0))
        {
            errors.Add($"constraints.target lists {target.Architectures.Count} architectures and {target.ExecutionProviders.Count} execution providers; both need at least one");
        }

        ValidateGate(job.HealthGate, errors);
        if (job.Bench is { } bench)
        {
            errors.AddRange(Validate(bench));
        }

        if (job.Shadow is { } shadow)
        {
            errors.AddRange(Validate(shadow));
            if (job.Bench is not null)
            {
                errors.Add("bench and shadow are both set; a bench installs nothing, so it cannot shadow");
            }
        }

        return errors;
    }

    private static void AddIfNull(List<string> errors, object? value, string name)
    {
        if (value is null)
        {
            errors.Add($"{name} is null or missing");
        }
    }

    private static void ValidateTransfer(OtaTransfer transfer, List<string> errors)
    {
        if (transfer.Method is not (OtaTransferMethods.Mqtt or OtaTransferMethods.Http))
        {
            errors.Add($"transfer.method is '{transfer.Method}', expected 'mqtt' or 'http'");
        }

        if (transfer.Method == OtaTransferMethods.Http
            && (!Uri.TryCreate(transfer.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"transfer.url '{transfer.Url}' must be an absolute http or https URL for method 'http'");
        }

        if (transfer.ChunkSize is < MinChunkSize or > MaxChunkSize)
        {
            errors.Add($"transfer.chunkSize is {transfer.ChunkSize}, expected {MinChunkSize} to {MaxChunkSize} bytes");
        }
    }

    /// <summary>Lists every problem of a job's <c>bench</c> section, named as in the job document (<c>bench.runs</c>, …).</summary>
    public static IReadOnlyList<string> Validate(OtaBenchRequest bench)
    {
        ArgumentNullException.ThrowIfNull(bench);
        var errors = new List<string>();
        if (bench.Runs is < OtaBenchRequest.MinRuns or > OtaBenchRequest.MaxRuns)
        {
            errors.Add($"bench.runs is {bench.Runs}, expected {OtaBenchRequest.MinRuns} to {OtaBenchRequest.MaxRuns}");
        }

        if (bench.WarmupRuns is < 0 or > OtaBenchRequest.MaxWarmupRuns)
        {
            errors.Add($"bench.warmupRuns is {bench.WarmupRuns}, expected 0 to {OtaBenchRequest.MaxWarmupRuns}");
        }

        if (!double.IsFinite(bench.MaxSeconds) || bench.MaxSeconds < 1 || bench.MaxSeconds > OtaBenchRequest.MaxSecondsLimit)
        {
            errors.Add($"bench.maxSeconds is {bench.MaxSeconds}, expected 1 to {OtaBenchRequest.MaxSecondsLimit}");
        }

        return errors;
    }

    private static void ValidateGate(OtaHealthGate gate, List<string> errors)
    {
        if (!(gate.MaxLatencyRatio >= 1) || double.IsInfinity(gate.MaxLatencyRatio))
        {
            errors.Add($"healthGate.maxLatencyRatio is {gate.MaxLatencyRatio}, expected a finite number of at least 1");
        }

        if (gate.LatencyRuns is < 5 or > 10000)
        {
            errors.Add($"healthGate.latencyRuns is {gate.LatencyRuns}, expected 5 to 10000");
        }

        if (!(gate.WatchWindowSeconds is >= 0 and <= 86400))
        {
            errors.Add($"healthGate.watchWindowSeconds is {gate.WatchWindowSeconds}, expected 0 to 86400");
        }

        if (!(gate.MaxErrorRate is >= 0 and <= 1))
        {
            errors.Add($"healthGate.maxErrorRate is {gate.MaxErrorRate}, expected 0 to 1");
        }

        if (!(gate.MaxLiveLatencyRatio >= 1) || double.IsInfinity(gate.MaxLiveLatencyRatio))
        {
            errors.Add($"healthGate.maxLiveLatencyRatio is {gate.MaxLiveLatencyRatio}, expected a finite number of at least 1");
        }

        if (gate.MinWatchCalls < 1)
        {
            errors.Add($"healthGate.minWatchCalls is {gate.MinWatchCalls}, expected at least 1");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex JobIdPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,99}$")]
    private static partial Regex PackageNamePattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();

    // SemVer 2.0.0 (no leading zeros in numeric parts); the device compares precedence with the SDK's parser.
    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$")]
    private static partial Regex VersionPattern();
}
