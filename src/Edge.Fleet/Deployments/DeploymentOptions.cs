namespace Edge.Fleet.Deployments;

/// <summary>Settings of one deployment, stored with it so a restarted tool carries on with the same rules.</summary>
internal sealed record DeploymentOptions
{
    /// <summary>Cumulative wave sizes (<see cref="WavePlan"/>). Default <c>1,10%,50%,100%</c>.</summary>
    public string Waves { get; init; } = "1,10%,50%,100%";

    /// <summary>Most devices with a job in flight at once. Default 50.</summary>
    public int MaxConcurrent { get; init; } = 50;

    /// <summary>Failed or timed-out devices of a wave, as a fraction of the wave, above which the rollout aborts. Default 0.10.</summary>
    public double AbortFailureRate { get; init; } = 0.10;

    /// <summary>Rise of the updated devices' p95 latency over the previous version's, as a fraction, above which it aborts. Default 0.20.</summary>
    public double? AbortLatencyP95Regression { get; init; } = 0.20;

    /// <summary>Errors per inference call of the updated devices during the soak, above which it aborts. Default 0.01.</summary>
    public double? AbortErrorRate { get; init; } = 0.01;

    /// <summary>UTC window in which waves may start (<see cref="RolloutWindow"/>); null for any time.</summary>
    public string? Window { get; init; }

    /// <summary>How long a wave's KPIs are watched after its last device succeeded, before the next wave. Default 2 min.</summary>
    public TimeSpan Soak { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>A device whose job is not terminal this long after publishing is marked timed-out (counted as failed). Default 15 min.</summary>
    public TimeSpan DeviceTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Telemetry samples (pooled over the wave's devices) needed to judge KPIs. Default 3.</summary>
    public int MinKpiSamples { get; init; } = 3;

    /// <summary>Roll the updated devices back when the rollout aborts. Default false.</summary>
    public bool RollbackOnAbort { get; init; }

    /// <summary>The previous version's package, published with allowDowngrade to roll devices back; null: no rollback possible.</summary>
    public string? RollbackPackage { get; init; }

    /// <summary>Health-gate thresholds sent to devices in the job; null for the device defaults.</summary>
    public double? GateMaxLatencyRatio { get; init; }

    /// <summary>Watch window after the switch sent to devices in the job, seconds; null for the device default (30 s).</summary>
    public double? GateWatchWindowSeconds { get; init; }

    /// <summary>Live p95 in the watch window over the previous model's, sent to devices in the job; null for the device default (1.5).</summary>
    public double? GateMaxLiveLatencyRatio { get; init; }

    /// <summary>
    /// Shadow evaluation sent in every job of the deployment (docs/ota.md, "Shadow evaluation"); null for none. Its
    /// <see cref="OtaShadowRequest.MinAgreement"/> is also the wave's <c>shadow-agreement</c> abort limit.
    /// </summary>
    public OtaShadowRequest? Shadow { get; init; }

    /// <summary>Every problem, all at once; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        try
        {
            WavePlan.Parse(Waves);
        }
        catch (FormatException e)
        {
            errors.Add(e.Message);
        }

        if (MaxConcurrent < 1)
        {
            errors.Add($"--max-concurrent must be at least 1; got {MaxConcurrent}.");
        }

        if (AbortFailureRate is < 0 or > 1)
        {
            errors.Add($"--abort-failure-rate must be 0%..100%; got {AbortFailureRate:P0}.");
        }

        if (AbortLatencyP95Regression is < 0)
        {
            errors.Add($"--abort-latency-p95-regression must not be negative; got {AbortLatencyP95Regression:P0}.");
        }

        if (AbortErrorRate is < 0 or > 1)
        {
            errors.Add($"--abort-error-rate must be 0..1 (or 0%..100%); got {AbortErrorRate}.");
        }

        if (GateMaxLatencyRatio is <= 0)
        {
            errors.Add($"--max-latency-ratio must be positive; got {GateMaxLatencyRatio}.");
        }

        if (GateMaxLiveLatencyRatio is <= 0)
        {
            errors.Add($"--max-live-latency-ratio must be positive; got {GateMaxLiveLatencyRatio}.");
        }

        if (GateWatchWindowSeconds is < 0)
        {
            errors.Add($"--watch-seconds must not be negative; got {GateWatchWindowSeconds}.");
        }

        if (Window is not null)
        {
            try
            {
                RolloutWindow.Parse(Window);
            }
            catch (FormatException e)
            {
                errors.Add(e.Message);
            }
        }

        if (Soak < TimeSpan.Zero || DeviceTimeout <= TimeSpan.Zero)
        {
            errors.Add($"--soak must be ≥ 0 and --device-timeout > 0; got {Soak} and {DeviceTimeout}.");
        }

        if (MinKpiSamples < 1)
        {
            errors.Add($"--min-kpi-samples must be at least 1; got {MinKpiSamples}.");
        }

        if (Shadow is not null)
        {
            errors.AddRange(ValidateShadow(Shadow));
        }

        if (RollbackOnAbort && RollbackPackage is null)
        {
            errors.Add("--rollback-on-abort needs --rollback-package (the previous version's package, sent with allowDowngrade).");
        }

        return errors;
    }

    /// <summary>
    /// The job validator's checks of a <c>shadow</c> section, each named by the deploy option that sets it, e.g.
    /// <c>--min-agreement: shadow.minAgreement is 1.5, expected 0 to 1.</c>
    /// </summary>
    public static IEnumerable<string> ValidateShadow(OtaShadowRequest shadow) =>
        OtaJobValidator.Validate(shadow).Select(error => $"{ShadowOption(error)}: {error}.");

    private static string ShadowOption(string error) => error.Split(' ')[0] switch
    {
        "shadow.sampleFraction" => "--shadow",
        "shadow.minSamples" => "--shadow-samples",
        "shadow.minAgreement" => "--min-agreement",
        "shadow.maxLatencyRatio" => "--shadow-max-latency-ratio",
        "shadow.timeoutSeconds" => "--shadow-timeout (seconds)",
        _ => "--shadow",
    };
}
