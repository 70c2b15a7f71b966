namespace Edge.Protocol.Ota;

/// <summary>
/// The states a device reports for a job, in the order they normally occur. <see cref="Succeeded"/>,
/// <see cref="Failed"/> and <see cref="RolledBack"/> are terminal; a report in one of them carries a reason when
/// it is not a success.
/// </summary>
internal static class OtaJobStates
{
    public const string Queued = "queued";
    public const string Downloading = "downloading";
    public const string Verifying = "verifying";
    public const string Staged = "staged";
    public const string HealthChecking = "health-checking";
    public const string Activating = "activating";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string RolledBack = "rolled-back";

    public static bool IsTerminal(string state) => state is Succeeded or Failed or RolledBack;
}
