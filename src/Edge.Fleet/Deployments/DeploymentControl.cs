namespace Edge.Fleet.Deployments;

/// <summary>
/// The operator's actions on a stored deployment, shared by the dashboard and the CLI: pause, resume (which starts a
/// deployment created on hold), abort and request a rollback. Each is one fenced write from the state it read
/// (<see cref="DeploymentStore.TryUpdateDeploymentAsync"/>), so two operators acting at once cannot overwrite each
/// other: the later one gets a conflict. The engine that holds the deployment's lease picks the change up on its next
/// tick. Each action adds an event naming how the operator acted (<see cref="Via"/>).
/// </summary>
internal sealed class DeploymentControl
{
    /// <summary>The longest abort reason kept.</summary>
    public const int MaxReasonLength = 500;

    private readonly DeploymentStore _store;
    private readonly TimeProvider _time;

    /// <param name="store">The deployments.</param>
    /// <param name="time">Stamps the state changes.</param>
    /// <param name="via">How the operator acts, for events: <c>from the dashboard</c>, <c>with edge-fleet pause</c>.</param>
    public DeploymentControl(DeploymentStore store, TimeProvider time, string via)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrWhiteSpace(via);
        _store = store;
        _time = time;
        Via = via;
    }

    /// <summary>How the operator acts, as events say it.</summary>
    public string Via { get; }

    /// <summary>Pauses a running deployment: nothing more is published and no wave moves on; jobs in flight are still followed.</summary>
    public Task<DeploymentActionOutcome> PauseAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, "paused", [RolloutStates.Running], RolloutStates.Paused, $"paused by the operator {Via}", null, endsWave: false, cancellationToken);

    /// <summary>
    /// Resumes a paused deployment, or starts one created on hold (nothing published yet): it is running again and the
    /// lease holder publishes on its next tick.
    /// </summary>
    public async Task<DeploymentActionOutcome> ResumeAsync(string id, CancellationToken cancellationToken)
    {
        var verb = await NothingPublishedAsync(id, cancellationToken) ? "started" : "resumed";
        return await ChangeAsync(id, verb, [RolloutStates.Paused], RolloutStates.Running, null, null, endsWave: false, cancellationToken);
    }

    /// <summary>
    /// Aborts a running or paused deployment with the operator's reason: its pending devices are skipped; jobs already
    /// published finish or time out as in any abort.
    /// </summary>
    public async Task<DeploymentActionOutcome> AbortAsync(string id, string? reason, CancellationToken cancellationToken)
    {
        var cleaned = string.Concat((reason ?? string.Empty).Select(c => char.IsControl(c) ? ' ' : c)).Trim();
        if (cleaned.Length == 0 || cleaned.Length > MaxReasonLength)
        {
            return new(DeploymentActionStatus.BadRequest, $"An abort needs a reason of 1 to {MaxReasonLength} characters; got {cleaned.Length}.");
        }

        var outcome = await ChangeAsync(id, "aborted", [RolloutStates.Running, RolloutStates.Paused], RolloutStates.Aborted, $"operator: {cleaned}", cleaned, endsWave: true, cancellationToken);
        if (!outcome.Succeeded)
        {
            return outcome;
        }

        // Written after the state, so an action that lost the race changes nothing; an engine that read "running"
        // just before publishes at most the job it had started.
        var pending = (await _store.DevicesAsync(id, cancellationToken))
            .Where(d => d.State == RolloutStates.Pending)
            .Select(d => d with { State = RolloutStates.Skipped, Reason = "rollout aborted" })
            .ToList();
        if (pending.Count > 0)
        {
            await _store.UpdateDevicesAsync(id, pending, cancellationToken);
        }

        return new(DeploymentActionStatus.Done, $"Aborted deployment '{id}' ({pending.Count} pending devices skipped): {cleaned}");
    }

    /// <summary>
    /// Asks the deployment's lease holder to roll it back with its own rollback package: the devices that succeeded
    /// get a downgrade job and the deployment ends aborted. Refused when the deployment has no rollback package.
    /// </summary>
    public async Task<DeploymentActionOutcome> RequestRollbackAsync(string id, CancellationToken cancellationToken)
    {
        if (await _store.FindAsync(id, cancellationToken) is { Options.RollbackPackage: null })
        {
            return new(DeploymentActionStatus.BadRequest,
                $"Deployment '{id}' has no rollback package (deploy --rollback-package); roll it back with 'edge-fleet rollback {id} --package PREVIOUS.edgepkg'.");
        }

        return await ChangeAsync(id, "rollback requested",
            [RolloutStates.Running, RolloutStates.Paused, RolloutStates.Aborted, RolloutStates.Completed],
            RolloutStates.RollbackRequested, "rollback requested by the operator", null, endsWave: true, cancellationToken);
    }

    private async Task<DeploymentActionOutcome> ChangeAsync(
        string id, string verb, string[] from, string to, string? reason, string? detail, bool endsWave, CancellationToken cancellationToken)
    {
        if (await _store.FindAsync(id, cancellationToken) is not { } deployment)
        {
            return new(DeploymentActionStatus.NotFound, $"Unknown deployment '{id}'.");
        }

        if (!from.Contains(deployment.State, StringComparer.Ordinal))
        {
            return new(DeploymentActionStatus.Conflict,
                $"Deployment '{id}' is {deployment.State}; only a {string.Join(" or ", from)} deployment can be {verb}.");
        }

        // A pause or resume keeps the wave, its state and its start: a resumed wave goes on where it was (a soak's
        // clock kept running). An abort or rollback ends the wave as the engine's own abort does.
        var waveState = endsWave ? null : deployment.WaveState;
        var waveChanged = endsWave ? _time.GetUtcNow() : deployment.WaveChanged;
        if (!await _store.TryUpdateDeploymentAsync(id, deployment.State, null, to, reason, deployment.CurrentWave, waveState, waveChanged, cancellationToken))
        {
            var now = (await _store.FindAsync(id, cancellationToken))?.State ?? "gone";
            return new(DeploymentActionStatus.Conflict, $"Deployment '{id}' changed meanwhile (it is {now} now, was {deployment.State}); it was not {verb}.");
        }

        var by = $"{verb} by the operator {Via}";
        await _store.AddEventAsync(id, detail is null ? by : $"{by}: {detail}", cancellationToken);
        var holder = deployment.LeaseOwner is { } owner ? $"; {owner} holds its lease" : string.Empty;
        return new(DeploymentActionStatus.Done, $"Deployment '{id}' {verb} (was {deployment.State}){holder}.");
    }

    private async Task<bool> NothingPublishedAsync(string id, CancellationToken cancellationToken) =>
        (await _store.DevicesAsync(id, cancellationToken)).All(d => d.State == RolloutStates.Pending);
}
