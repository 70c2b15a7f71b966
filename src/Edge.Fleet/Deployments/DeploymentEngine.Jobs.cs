using Edge.Fleet.Observability;
using Edge.Protocol.Ota;

namespace Edge.Fleet.Deployments;

/// <summary>Publishing jobs, applying state reports, timing devices out, and rolling devices back.</summary>
internal sealed partial class DeploymentEngine
{
    /// <summary>The rollback job id of a deployment: a new id, so devices that finished the deployment's job take it.</summary>
    public static string RollbackJobId(string deploymentId) => deploymentId + "-rb";

    /// <summary>
    /// Publishes a downgrade job with <paramref name="rollbackPackage"/> (allowDowngrade) to every device that succeeded
    /// in the deployment and marks it <c>rollback-published</c>; <see cref="RunAsync"/> then follows those jobs to
    /// <c>reverted</c> or <c>rollback-failed</c>. Returns how many devices were sent the job.
    /// </summary>
    public async Task<int> StartRollbackAsync(string id, string rollbackPackage, CancellationToken cancellationToken)
    {
        await RenewLeaseAsync(id, cancellationToken);
        var deployment = await _store.GetAsync(id, cancellationToken);
        var devices = await _store.DevicesAsync(id, cancellationToken);
        var package = PackageInfo(rollbackPackage);
        var count = 0;
        foreach (var device in devices.Where(d => d.State == RolloutStates.Succeeded))
        {
            await PublishAsync(deployment, device, RollbackJobId(id), package, allowDowngrade: true, cancellationToken, RolloutStates.RollbackPublished);
            count++;
        }

        foreach (var device in devices.Where(d => d.State == RolloutStates.Pending))
        {
            await UpdateDevicesAsync(id, [device with { State = RolloutStates.Skipped, Reason = "deployment rolled back" }], cancellationToken);
        }

        if (deployment.State is RolloutStates.Running or RolloutStates.Paused or RolloutStates.RollbackRequested)
        {
            await SetAsync(deployment, RolloutStates.Aborted, "rolled back by the operator", deployment.CurrentWave, null, _time.GetUtcNow(), cancellationToken);
        }

        await EventAsync(id, $"rollback to {package.Name} {package.Version} published to {count} devices", cancellationToken);
        return count;
    }

    private async Task PublishAsync(DeploymentRecord deployment, DeviceRollout device, string jobId, OtaPackageInfo package, bool allowDowngrade, CancellationToken cancellationToken, string state = RolloutStates.Published)
    {
        // Written before publishing: after a crash in between, the device is "published" and either got the retained
        // job or times out; it is never published to twice under a different id.
        var now = _time.GetUtcNow();
        var updated = device with { State = state, JobId = jobId, Started = now, Finished = null, Progress = null, Reason = null };
        await UpdateDevicesAsync(deployment.Id, [updated], cancellationToken); // fenced before the job goes out
        var job = new OtaJobDocument
        {
            JobId = jobId,
            CreatedUtc = now,
            Package = package,
            Transfer = new OtaTransfer { Method = OtaTransferMethods.Mqtt },
            AllowDowngrade = allowDowngrade,
            HealthGate = Gate(deployment.Options),

            // A rollback is the previous version going back: nothing to prove on live calls.
            Shadow = state == RolloutStates.Published ? deployment.Options.Shadow : null,
        };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await _publisher.PublishJobAsync(device.Device, job, timeout.Token);
            FleetInstruments.JobPublished(deployment.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Broker lost or slow: the device goes back to its previous state and is published to on a later tick.
            await UpdateDevicesAsync(deployment.Id, [device], CancellationToken.None);
            await EventAsync(deployment.Id, $"{device.Device}: publishing job {jobId} failed ({e.GetType().Name}: {e.Message}); will retry", CancellationToken.None);
            throw new JobPublishException(e);
        }
    }

    private async Task<IReadOnlyList<DeviceRollout>> ApplyReportsAsync(DeploymentRecord deployment, IReadOnlyList<DeviceRollout> devices, CancellationToken cancellationToken)
    {
        if (_reports.IsEmpty)
        {
            return devices;
        }

        var byDevice = devices.ToDictionary(d => d.Device, StringComparer.Ordinal);
        var changed = new Dictionary<string, DeviceRollout>(StringComparer.Ordinal);
        var events = new List<string>();
        while (_reports.TryDequeue(out var report))
        {
            if (!byDevice.TryGetValue(report.Device, out var device) || device.JobId != report.JobId || RolloutStates.IsTerminal(device.State))
            {
                continue; // Another deployment's job, or a stale retained report of a finished job.
            }

            var rollback = device.State == RolloutStates.RollbackPublished;
            var terminal = OtaJobStates.IsTerminal(report.State);
            var state = (rollback, report.State) switch
            {
                (true, OtaJobStates.Succeeded) => RolloutStates.Reverted,
                (true, _) when terminal => RolloutStates.RollbackFailed,
                (true, _) => RolloutStates.RollbackPublished,
                _ => report.State,
            };
            var reason = report.Reason is null ? null : report.Figures is { Count: > 0 } figures
                ? $"{report.Reason} [{string.Join(", ", figures.Select(f => $"{f.Key}={f.Value:G4}"))}]"
                : report.Reason;
            var updated = device with
            {
                State = state,
                Reason = reason,
                Progress = report.Progress?.Percent ?? device.Progress,
                PreviousVersion = rollback ? device.PreviousVersion : report.FromVersion ?? device.PreviousVersion,
                Finished = terminal ? report.Timestamp == default ? _time.GetUtcNow() : report.Timestamp : null,

                // The latest figures stay: a terminal report without them (a gate failure) keeps what the shadow had.
                ShadowSamples = report.Shadow?.Samples ?? device.ShadowSamples,
                ShadowAgreements = report.Shadow?.Agreements ?? device.ShadowAgreements,
                ShadowP95Ratio = report.Shadow is { } shadow ? shadow.LatencyRatio : device.ShadowP95Ratio,
            };
            byDevice[device.Device] = updated;
            changed[device.Device] = updated;
            if (terminal && state != RolloutStates.Succeeded && state != RolloutStates.Reverted)
            {
                events.Add($"{device.Device}: {state}{(reason is null ? string.Empty : ": " + reason)}");
            }
        }

        // One transaction for the tick's reports: a wave of hundreds of devices reports thousands of steps.
        await UpdateDevicesAsync(deployment.Id, changed.Values, cancellationToken);
        foreach (var message in events)
        {
            await EventAsync(deployment.Id, message, cancellationToken);
        }

        return [.. byDevice.Values.OrderBy(d => d.Wave).ThenBy(d => d.Device, StringComparer.Ordinal)];
    }

    private async Task<List<DeviceRollout>> MarkTimeoutsAsync(DeploymentRecord deployment, List<DeviceRollout> devices, CancellationToken cancellationToken)
    {
        for (var i = 0; i < devices.Count; i++)
        {
            if (Expired(deployment, devices[i]))
            {
                var device = devices[i];
                devices[i] = device with
                {
                    State = RolloutStates.TimedOut,
                    Reason = $"no terminal report within {deployment.Options.DeviceTimeout.TotalSeconds:F0} s (last: {device.State}{(device.Progress is { } p ? $" {p:F0}%" : string.Empty)})",
                    Finished = _time.GetUtcNow(),
                };
                await UpdateDevicesAsync(deployment.Id, [devices[i]], cancellationToken);
                await EventAsync(deployment.Id, $"{device.Device}: timed out in {device.State}", cancellationToken);
            }
        }

        return devices;
    }

    private bool Expired(DeploymentRecord deployment, DeviceRollout device) =>
        device.State != RolloutStates.Pending && !RolloutStates.IsTerminal(device.State)
        && device.Started is { } started && _time.GetUtcNow() - started > deployment.Options.DeviceTimeout;

    private static OtaHealthGate Gate(DeploymentOptions options)
    {
        var gate = new OtaHealthGate();
        if (options.GateMaxLatencyRatio is { } ratio)
        {
            gate.MaxLatencyRatio = ratio;
        }

        if (options.GateMaxLiveLatencyRatio is { } live)
        {
            gate.MaxLiveLatencyRatio = live;
        }

        if (options.GateWatchWindowSeconds is { } seconds)
        {
            gate.WatchWindowSeconds = seconds;
        }

        return gate;
    }
}
