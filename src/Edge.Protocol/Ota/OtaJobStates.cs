namespace Edge.Protocol.Ota;

/// <summary>
/// The states a device reports for a job, in the order they normally occur. <see cref="Succeeded"/>,
/// <see cref="Failed"/> and <see cref="RolledBack"/> are terminal; a report in one of them carries a reason when
/// it is not a success.
/// </summary>
public static class OtaJobStates
{
    /// <summary>Accepted and waiting (for example for a constraint window or the disk budget).</summary>
    public const string Queued = "queued";
    /// <summary>The package is being downloaded; reports carry progress.</summary>
    public const string Downloading = "downloading";
    /// <summary>The package's hash and signature are being checked.</summary>
    public const string Verifying = "verifying";
    /// <summary>The package is verified and extracted into the inactive slot.</summary>
    public const string Staged = "staged";
    /// <summary>The candidate model runs the health gate (golden samples, latency), before or after activation.</summary>
    public const string HealthChecking = "health-checking";
    /// <summary>The served model is being switched to the new slot.</summary>
    public const string Activating = "activating";
    /// <summary>Terminal: the new model serves and passed the health gate.</summary>
    public const string Succeeded = "succeeded";
    /// <summary>Terminal: the job could not complete; the previous model still serves. The report carries the reason.</summary>
    public const string Failed = "failed";
    /// <summary>Terminal: the new model failed its health gate and the previous one serves again. The report carries the reason.</summary>
    public const string RolledBack = "rolled-back";

    /// <summary>Whether <paramref name="state"/> is <see cref="Succeeded"/>, <see cref="Failed"/> or <see cref="RolledBack"/>.</summary>
    public static bool IsTerminal(string state) => state is Succeeded or Failed or RolledBack;
}
