using System.Collections.Concurrent;
using Edge.Fleet.Monitoring;
using Edge.Fleet.Observability;
using Edge.Protocol.Ota;

namespace Edge.Fleet.Deployments;

/// <summary>
/// Runs a stored deployment wave by wave. Each tick it applies the devices' state reports, marks devices whose job
/// outlived <see cref="DeploymentOptions.DeviceTimeout"/> as timed out, publishes jobs to the current wave's pending
/// devices (at most <see cref="DeploymentOptions.MaxConcurrent"/> in flight, only inside the window), and when the
/// wave is done checks its failure rate, soaks, and checks the updated devices' KPIs from stored telemetry. Every
/// decision is written to the state database first, so a new engine on the same file continues where the last stopped
/// (a soak resumes with the time that was left). It returns when the deployment completed or aborted and no job is in flight.
/// </summary>
internal sealed partial class DeploymentEngine
{
    private readonly DeploymentStore _store;
    private readonly TelemetryStore _telemetry;
    private readonly IJobPublisher _publisher;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<OtaJobStateReport> _reports = new();
    private readonly Action<string>? _log;

    public DeploymentEngine(DeploymentStore store, TelemetryStore telemetry, IJobPublisher publisher, TimeProvider time, Action<string>? log = null)
    {
        _store = store;
        _telemetry = telemetry;
        _publisher = publisher;
        _time = time;
        _log = log;
        _publisher.ReportReceived += _reports.Enqueue;

        // What arrived before this engine existed (a deployment taken over, or resumed): stale ones are skipped by job id.
        foreach (var report in _publisher.LatestReports)
        {
            _reports.Enqueue(report);
        }
    }

    /// <summary>Time between ticks. Default 250 ms.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The lease this engine drives under: taken or renewed on every tick (a deployment someone else holds stops the
    /// engine with <see cref="DeploymentLeaseLostException"/>), fencing every write of the deployment's state, and
    /// released when the run ends or is cancelled. Null: no lease (tests that drive one engine alone).
    /// </summary>
    public DeploymentLease? Lease { get; init; }

    /// <summary>Package facts for job documents of this deployment and of its rollback.</summary>
    public required Func<string, OtaPackageInfo> PackageInfo { get; init; }

    /// <summary>Runs until the deployment is finished (completed or aborted, nothing in flight); returns its final record.</summary>
    public async Task<DeploymentRecord> RunAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            using var activity = FleetInstruments.StartRollout(await _store.GetAsync(id, cancellationToken));
            var final = await RunLoopAsync(id, cancellationToken);
            FleetInstruments.RecordEnd(activity, final);
            return final;
        }
        finally
        {
            // A long-running serve creates an engine per deployment on one publisher: an ended one stops queueing reports.
            _publisher.ReportReceived -= _reports.Enqueue;
        }
    }

    private async Task<DeploymentRecord> RunLoopAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await RenewLeaseAsync(id, cancellationToken);
                var deployment = await _store.GetAsync(id, cancellationToken);
                var devices = await ApplyReportsAsync(deployment, await _store.DevicesAsync(id, cancellationToken), cancellationToken);
                var inFlight = devices.Where(d => d.State != RolloutStates.Pending && !RolloutStates.IsTerminal(d.State)).ToList();
                try
                {
                    if (deployment.State == RolloutStates.RollbackRequested)
                    {
                        await StartRollbackAsync(id, deployment.Options.RollbackPackage
                            ?? throw new InvalidOperationException($"Deployment {id} asks for a rollback but has no rollback package."), cancellationToken);
                    }
                    else if (deployment.State == RolloutStates.Paused)
                    {
                        // Nothing is published and no wave moves on; jobs already out are still followed and timed out.
                        await MarkTimeoutsAsync(deployment, inFlight, cancellationToken);
                    }
                    else if (deployment.State != RolloutStates.Running)
                    {
                        await MarkTimeoutsAsync(deployment, inFlight, cancellationToken);
                        if (inFlight.Count == 0 || inFlight.All(d => Expired(deployment, d)))
                        {
                            await ReleaseLeaseAsync(id);
                            return await _store.GetAsync(id, cancellationToken);
                        }
                    }
                    else
                    {
                        await StepAsync(deployment, devices, inFlight, cancellationToken);
                    }
                }
                catch (JobPublishException)
                {
                    // Logged as an event with the device; the next tick tries again (after the connection recovers).
                }
                catch (DeploymentChangedException changed)
                {
                    // Paused or aborted by an operator meanwhile, or the lease ran out: the next tick re-reads (and a
                    // lost lease stops the engine there).
                    _log?.Invoke($"{id}: {changed.Message}");
                }

                await Task.Delay(TickInterval, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped (Ctrl+C, or the service stopping): another holder may continue at once instead of after the lease time.
            await ReleaseLeaseAsync(id);
            throw;
        }
    }

    private async Task StepAsync(DeploymentRecord deployment, IReadOnlyList<DeviceRollout> devices, List<DeviceRollout> inFlight, CancellationToken cancellationToken)
    {
        var options = deployment.Options;
        var wave = deployment.CurrentWave;
        var waveDevices = devices.Where(d => d.Wave == wave).ToList();
        var lastWave = devices.Count == 0 ? 0 : devices.Max(d => d.Wave);
        var now = _time.GetUtcNow();
        if (deployment.WaveState is RolloutStates.WaveRunning or RolloutStates.WaveWaitingForWindow)
        {
            waveDevices = await MarkTimeoutsAsync(deployment, waveDevices, cancellationToken);
            if (AbortDecision.ForFailures(wave, waveDevices, options.AbortFailureRate) is { } failure)
            {
                await AbortAsync(deployment, failure, devices, cancellationToken);
                return;
            }

            var window = options.Window is null ? null : RolloutWindow.Parse(options.Window);
            var open = window?.Contains(now) ?? true;
            if (!open && deployment.WaveState != RolloutStates.WaveWaitingForWindow)
            {
                await SetAsync(deployment, RolloutStates.Running, null, wave, RolloutStates.WaveWaitingForWindow, now, cancellationToken);
                await EventAsync(deployment.Id, $"wave {wave + 1}: outside window {window}; waiting until {window!.NextOpening(now):u}", cancellationToken);
            }
            else if (open && deployment.WaveState == RolloutStates.WaveWaitingForWindow)
            {
                await SetAsync(deployment, RolloutStates.Running, null, wave, RolloutStates.WaveRunning, now, cancellationToken);
            }

            if (open)
            {
                var slots = options.MaxConcurrent - inFlight.Count;
                foreach (var device in waveDevices.Where(d => d.State == RolloutStates.Pending).Take(Math.Max(0, slots)))
                {
                    await PublishAsync(deployment, device, deployment.Id, PackageInfo(deployment.PackagePath), allowDowngrade: false, cancellationToken);
                }
            }

            if (waveDevices.All(d => RolloutStates.IsTerminal(d.State)))
            {
                // Judged once every device of the wave has decided: a partial wave's pool leans on whoever finished first.
                if (AbortDecision.ForShadow(wave, waveDevices, options.Shadow) is { } shadowAbort)
                {
                    await AbortAsync(deployment, shadowAbort, devices, cancellationToken);
                    return;
                }

                var soakStart = waveDevices.Max(d => d.Finished) ?? now;
                await SetAsync(deployment, RolloutStates.Running, null, wave, RolloutStates.WaveSoaking, soakStart, cancellationToken);
                await EventAsync(deployment.Id,
                    $"wave {wave + 1}: {waveDevices.Count(d => d.State == RolloutStates.Succeeded)}/{waveDevices.Count} succeeded"
                    + (ShadowTally.DescribeWave(waveDevices) is { } agreement ? $"; shadow agreement {agreement}" : string.Empty)
                    + $"; soaking {options.Soak.TotalSeconds:F0} s", cancellationToken);
            }

            return;
        }

        if (deployment.WaveState == RolloutStates.WaveSoaking)
        {
            var soakStart = deployment.WaveChanged ?? now;
            if (now < soakStart + options.Soak)
            {
                return;
            }

            var activated = devices.Where(d => d.State == RolloutStates.Succeeded && d.Finished is not null).ToDictionary(d => d.Device, d => d.Finished!.Value, StringComparer.Ordinal);
            // Only the deployment's own devices: their rows before the update are the baseline, so devices outside it
            // (other hardware, other groups) neither skew the comparison nor make a large fleet's telemetry load here.
            var members = devices.Select(d => d.Device).ToList();
            var rows = await _telemetry.QueryAsync(deployment.Created - TimeSpan.FromMinutes(30), members, cancellationToken);
            var kpis = WaveKpis.Compute(rows, deployment.PackageName, deployment.PackageVersion, activated);
            var needsLatency = options.AbortLatencyP95Regression is not null;

            // With both KPI aborts off there is nothing to judge, so no telemetry is waited for: devices whose agent
            // runs without an app make no inference calls and report no latency or errors at all.
            var judges = needsLatency || options.AbortErrorRate is not null;
            var enough = !judges || activated.Count == 0
                || (kpis.CandidateSamples >= options.MinKpiSamples && (!needsLatency || kpis.BaselineSamples >= options.MinKpiSamples));
            if (!enough)
            {
                if (now < soakStart + (3 * options.Soak) + TimeSpan.FromSeconds(30))
                {
                    return; // Telemetry is late or sparse: keep soaking a while longer before judging.
                }

                await AbortAsync(deployment, new AbortDecision(AbortDecision.InsufficientTelemetry,
                    $"not enough telemetry to judge wave {wave + 1} (need {options.MinKpiSamples} samples each): {kpis.Describe()}; devices without an app make no inference calls and report none: deploy to them with --abort-latency-p95-regression off --abort-error-rate off"), devices, cancellationToken);
                return;
            }

            if (AbortDecision.ForKpis(wave, kpis, options) is { } kpiAbort)
            {
                await AbortAsync(deployment, kpiAbort, devices, cancellationToken);
                return;
            }

            await EventAsync(deployment.Id, $"wave {wave + 1}: KPIs within limits: {kpis.Describe()}", cancellationToken);
            if (wave >= lastWave)
            {
                await SetAsync(deployment, RolloutStates.Completed, $"all {devices.Count} devices processed: {Summary(devices)}", wave, null, now, cancellationToken);
                await EventAsync(deployment.Id, "completed", cancellationToken);
            }
            else
            {
                await SetAsync(deployment, RolloutStates.Running, null, wave + 1, RolloutStates.WaveRunning, now, cancellationToken);
                await EventAsync(deployment.Id, $"wave {wave + 2} started", cancellationToken);
            }
        }
    }

    private async Task AbortAsync(DeploymentRecord deployment, AbortDecision decision, IReadOnlyList<DeviceRollout> devices, CancellationToken cancellationToken)
    {
        // Nothing new is started: every device that has not been published to is skipped.
        foreach (var device in devices.Where(d => d.State == RolloutStates.Pending))
        {
            await UpdateDevicesAsync(deployment.Id, [device with { State = RolloutStates.Skipped, Reason = "rollout aborted" }], cancellationToken);
        }

        await SetAsync(deployment, RolloutStates.Aborted, $"{decision.Criterion}: {decision.Message}", deployment.CurrentWave, null, _time.GetUtcNow(), cancellationToken);
        await EventAsync(deployment.Id, $"aborted on {decision.Criterion}: {decision.Message}", cancellationToken);
        if (deployment.Options.RollbackOnAbort && deployment.Options.RollbackPackage is { } rollbackPackage)
        {
            await StartRollbackAsync(deployment.Id, rollbackPackage, cancellationToken);
        }
    }

    private Task EventAsync(string id, string message, CancellationToken cancellationToken)
    {
        _log?.Invoke($"{id}: {message}");
        FleetInstruments.Event(message);
        return _store.AddEventAsync(id, message, cancellationToken);
    }

    private static string Summary(IReadOnlyList<DeviceRollout> devices) =>
        string.Join(", ", devices.GroupBy(d => d.State).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
}
