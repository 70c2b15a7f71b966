using Edge.Agent.Ota.Health;
using Edge.Agent.Ota.Slots;
using Edge.Agent.Ota.Transfer;
using Edge.Sdk;
using Edge.Sdk.Inference;

namespace Edge.Agent.Ota.Jobs;

/// <summary>Health gate, switch, watch window, commit and rollback.</summary>
internal sealed partial class OtaJobRunner
{
    private const int LatencyAttempts = 3;
    private async Task<JobRecord> GateAsync(JobRecord record, SlotPointer? pointer, string slot, SlotManifest manifest, double? liveBaselineP95, CancellationToken cancellationToken)
    {
        var job = record.Job;
        var gate = job.HealthGate;
        // Before the gate, so the gate's candidate session loads the engine the served session will load.
        var engineFigures = await WarmEngineAsync(record, slot, manifest, cancellationToken);
        await ReportAsync(record, OtaJobStates.HealthChecking, null, Phases.Gate, null, cancellationToken, engineFigures);
        var samples = await GoldenSample.LoadAsync(manifest.Golden, p => Slots.FilePath(slot, p), cancellationToken);
        if (samples.Count == 0 && gate.RequireGoldenSamples)
        {
            throw new OtaJobException(OtaJobStates.RolledBack, "health gate: the package has no golden samples and the job requires them");
        }

        IReadOnlyList<GoldenSample> currentSamples = [];
        string? currentModel = null;
        if (pointer is not null)
        {
            var (currentManifest, _) = await Slots.InspectAsync(pointer.Active.Slot, cancellationToken);
            if (currentManifest is not null)
            {
                currentModel = Slots.ModelPath(pointer.Active.Slot, currentManifest);
                currentSamples = await GoldenSample.LoadAsync(currentManifest.Golden, p => Slots.FilePath(pointer.Active.Slot, p), cancellationToken);
            }
        }

        var figures = await Task.Run(() => RunGate(Slots.ModelPath(slot, manifest), slot, manifest, samples, currentModel, pointer, currentSamples, gate), cancellationToken);
        var baseline = liveBaselineP95 ?? (figures.TryGetValue("currentP95Ms", out var gateBaseline) ? gateBaseline : (double?)null);
        record = record with { BaselineP95Ms = baseline };
        await _runtime.Journal.SaveAsync(record, cancellationToken);
        return record;
    }

    private Dictionary<string, double> RunGate(string modelPath, string slot, SlotManifest manifest, IReadOnlyList<GoldenSample> samples, string? currentModel, SlotPointer? pointer, IReadOnlyList<GoldenSample> currentSamples, OtaHealthGate gate)
    {
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        EdgeSession candidate;
        try
        {
            candidate = EdgeSession.Load(modelPath, OtaSessionOptions.Create(Options, manifest.Name, manifest.Version, Slots.EngineCachePath(slot)));
        }
        catch (EdgeException e)
        {
            throw new OtaJobException(OtaJobStates.RolledBack, $"health gate: the model does not load on {Options.Provider}: {e.Message}", null, e);
        }

        using (candidate)
        {
            var worst = 0.0;
            foreach (var sample in samples)
            {
                string? problem;
                try
                {
                    problem = GoldenRunner.Check(candidate, sample, out var maxError);
                    worst = Math.Max(worst, maxError);
                }
                catch (EdgeException e)
                {
                    problem = $"golden sample '{sample.Spec.Name}' does not run: {e.Message}";
                }

                if (problem is not null)
                {
                    figures["maxAbsError"] = worst;
                    throw new OtaJobException(OtaJobStates.RolledBack, $"health gate: {problem}", figures);
                }
            }

            figures["goldenSamples"] = samples.Count;
            figures["maxAbsError"] = worst;
            if (currentModel is null || pointer is null || samples.Count == 0)
            {
                return figures;
            }

            using var current = EdgeSession.Load(currentModel, OtaSessionOptions.Create(Options, pointer.Active.Name + ".gate", pointer.Active.Version, Slots.EngineCachePath(pointer.Active.Slot)));
            using var candidateRequest = GoldenRunner.Bind(candidate, samples[0]);
            InferenceRequest currentRequest;
            try
            {
                currentRequest = GoldenRunner.Bind(current, samples[0]);
            }
            catch (InputMismatchException) when (currentSamples.Count > 0)
            {
                // A model with another signature is timed on its own golden input.
                currentRequest = GoldenRunner.Bind(current, currentSamples[0]);
            }

            using (currentRequest)
            {
                // A transient burst of other load can land on one model's runs more than the other's; a model that is
                // really slower fails every attempt, so it is judged on its best of up to three side-by-side measurements.
                var (candidateP95, currentP95) = LatencyComparison.Measure(candidateRequest, currentRequest, gate.LatencyRuns);
                for (var attempt = 1; attempt < LatencyAttempts && LatencyComparison.Regressed(candidateP95, currentP95, gate.MaxLatencyRatio); attempt++)
                {
                    var (again, againCurrent) = LatencyComparison.Measure(candidateRequest, currentRequest, gate.LatencyRuns);
                    if (again / againCurrent < candidateP95 / currentP95)
                    {
                        (candidateP95, currentP95) = (again, againCurrent);
                    }
                }

                figures["candidateP95Ms"] = Math.Round(candidateP95, 4);
                figures["currentP95Ms"] = Math.Round(currentP95, 4);
                if (LatencyComparison.Regressed(candidateP95, currentP95, gate.MaxLatencyRatio))
                {
                    throw new OtaJobException(
                        OtaJobStates.RolledBack,
                        $"latency gate: candidate p95 {candidateP95:F3} ms > {gate.MaxLatencyRatio} × current p95 {currentP95:F3} ms ({candidateP95 / currentP95:F2}×)",
                        figures);
                }
            }

            return figures;
        }
    }

    private async Task<SlotPointer> ActivateAsync(JobRecord record, SlotPointer? pointer, string slot, SlotManifest manifest, CancellationToken cancellationToken)
    {
        await ReportAsync(record, OtaJobStates.Activating, null, null, null, cancellationToken);
        var next = new SlotPointer
        {
            Active = new SlotReference { Slot = slot, Name = manifest.Name, Version = manifest.Version },
            Previous = pointer?.Active,
            TrialJobId = record.Job.JobId,
        };

        // The switch: one atomic rename. Before it a restart serves the old slot, after it the new one (on trial).
        await Slots.WritePointerAsync(next, cancellationToken);
        await _runtime.Model.LoadOrSwapAsync(Slots.ModelPath(slot, manifest), OtaSessionOptions.Create(Options, manifest.Name, manifest.Version, Slots.EngineCachePath(slot)), slot, cancellationToken);
        return next;
    }

    private async Task WatchAndCommitAsync(JobRecord record, SlotPointer pointer, CancellationToken cancellationToken)
    {
        var gate = record.Job.HealthGate;
        await ReportAsync(record, OtaJobStates.HealthChecking, null, Phases.Watch, null, cancellationToken);
        using (var watch = new LiveMetricsWatch(pointer.Active.Name, pointer.Active.Version))
        {
            var started = _runtime.Time.GetTimestamp();
            var window = TimeSpan.FromSeconds(gate.WatchWindowSeconds);
            while (true)
            {
                var elapsed = _runtime.Time.GetElapsedTime(started);
                var (calls, errors, p95) = watch.Snapshot();
                if (WatchWindowVerdict.Breach(calls, errors, p95, record.BaselineP95Ms, gate) is { } breach)
                {
                    var figures = new Dictionary<string, double> { ["liveCalls"] = calls, ["liveErrors"] = errors, ["liveP95Ms"] = Math.Round(p95, 4) };
                    if (record.BaselineP95Ms is { } baseline)
                    {
                        figures["baselineP95Ms"] = Math.Round(baseline, 4);
                    }

                    throw new OtaJobException(OtaJobStates.RolledBack, breach, figures);
                }

                if (elapsed >= window)
                {
                    break;
                }

                var step = window - elapsed;
                await Task.Delay(step < TimeSpan.FromMilliseconds(250) ? step : TimeSpan.FromMilliseconds(250), _runtime.Time, cancellationToken);
            }
        }

        await Slots.WritePointerAsync(pointer with { TrialJobId = null }, cancellationToken);
        await FinishAsync(record, OtaJobStates.Succeeded, null, null, cancellationToken);
    }

    private async Task RollbackAsync(JobRecord record, SlotPointer pointer, string reason, IReadOnlyDictionary<string, double>? figures, CancellationToken cancellationToken)
    {
        record = record with { Phase = Phases.Rollback, Reason = reason };
        await _runtime.Journal.SaveAsync(record, cancellationToken);
        await CompleteRollbackAsync(record, pointer, reason, figures, cancellationToken);
    }

    private async Task CompleteRollbackAsync(JobRecord record, SlotPointer? pointer, string reason, IReadOnlyDictionary<string, double>? figures, CancellationToken cancellationToken)
    {
        if (pointer is { TrialJobId: not null, Previous: { } previous })
        {
            await Slots.WritePointerAsync(new SlotPointer { Active = previous, Previous = pointer.Active }, cancellationToken);
            pointer = await Slots.ReadPointerAsync(cancellationToken);
        }
        else if (pointer is { TrialJobId: not null })
        {
            // No previous model existed: keep serving the new one rather than nothing, and say so.
            await Slots.WritePointerAsync(pointer with { TrialJobId = null }, cancellationToken);
            reason += " (no previous model to return to; the new one stays active)";
        }

        if (pointer is not null && _runtime.Model.Version != pointer.Active.Version)
        {
            var (manifest, _) = await Slots.InspectAsync(pointer.Active.Slot, cancellationToken);
            if (manifest is not null)
            {
                await _runtime.Model.LoadOrSwapAsync(Slots.ModelPath(pointer.Active.Slot, manifest), OtaSessionOptions.Create(Options, manifest.Name, manifest.Version, Slots.EngineCachePath(pointer.Active.Slot)), pointer.Active.Slot, cancellationToken);
            }
        }

        await FinishAsync(record, OtaJobStates.RolledBack, reason, figures, cancellationToken);
    }

    private async Task FinishAsync(JobRecord record, string state, string? reason, IReadOnlyDictionary<string, double>? figures, CancellationToken cancellationToken)
    {
        // Files first: once the outcome is out, nothing of the job is left on disk (a kill in between reruns the end).
        DeleteJobFiles(record.Job.JobId);
        await ReportAsync(record, state, reason, null, null, cancellationToken, figures);
    }

    private async Task ReportAsync(JobRecord record, string state, string? reason, string? phase, OtaProgress? progress, CancellationToken cancellationToken, IReadOnlyDictionary<string, double>? figures = null)
    {
        var saved = _runtime.Journal.Find(record.Job.JobId);
        if (saved is null || saved.State != state || saved.Phase != phase || saved.Reason != reason || saved.FromVersion != record.FromVersion)
        {
            var restarts = saved?.Restarts ?? record.Restarts;
            await _runtime.Journal.SaveAsync(record with { State = state, Reason = reason, Phase = phase, Restarts = restarts, BaselineP95Ms = record.BaselineP95Ms ?? saved?.BaselineP95Ms, Shadow = record.Shadow ?? saved?.Shadow }, cancellationToken);
        }

        _runtime.Reporter.Post(_runtime.Reporter.Create(record.Job.JobId, state) with
        {
            Reason = reason,
            Phase = phase,
            Progress = progress,
            FromVersion = record.FromVersion,
            ToVersion = record.Job.Package.Version,
            ActiveVersion = _runtime.Model.Version,
            Figures = figures,
            Bench = record.Bench,
            Shadow = (record.Shadow ?? saved?.Shadow)?.ToFigures(),
        });
    }
}
