namespace Edge.Fleet.Deployments;

/// <summary>
/// States a device has within a deployment (the device's own OTA states in between are stored as reported), and
/// states of a deployment. Stored as text in the state database.
/// </summary>
internal static class RolloutStates
{
    public const string Pending = "pending";
    public const string Published = "published";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string RolledBack = "rolled-back";
    public const string TimedOut = "timed-out";
    public const string Skipped = "skipped";
    public const string RollbackPublished = "rollback-published";
    public const string Reverted = "reverted";
    public const string RollbackFailed = "rollback-failed";

    public const string Running = "running";
    public const string Completed = "completed";
    public const string Aborted = "aborted";

    /// <summary>An operator paused it: no job is published and no wave moves on until it is resumed.</summary>
    public const string Paused = "paused";

    /// <summary>
    /// An operator asked for a rollback (the dashboard, or <c>rollback</c> while another instance drives the
    /// deployment): the lease holder sends the deployment's rollback package and moves it to aborted.
    /// </summary>
    public const string RollbackRequested = "rollback-requested";

    public const string WaveRunning = "running";
    public const string WaveSoaking = "soaking";
    public const string WaveWaitingForWindow = "waiting-for-window";

    /// <summary>Whether a device's job in this deployment has ended (it no longer blocks another deployment).</summary>
    public static bool IsTerminal(string state) =>
        state is Succeeded or Failed or RolledBack or TimedOut or Skipped or Reverted or RollbackFailed;

    /// <summary>Terminal states that count against the failure rate.</summary>
    public static bool IsFailure(string state) => state is Failed or RolledBack or TimedOut;

    /// <summary>States of the SQL <c>IN</c> list of non-terminal device states.</summary>
    public const string OpenSqlList = "'pending', 'published', 'queued', 'downloading', 'verifying', 'staged', 'health-checking', 'activating', 'rollback-published'";
}
