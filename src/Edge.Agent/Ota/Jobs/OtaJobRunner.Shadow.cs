using System.Globalization;
using Edge.Agent.Ota.Shadow;
using Edge.Agent.Ota.Slots;
using Edge.Sdk;
using Edge.Sdk.Inference;

namespace Edge.Agent.Ota.Jobs;

/// <summary>
/// Shadow evaluation (<see cref="OtaJobDocument.Shadow"/>): after the golden gate and before the switch, the staged
/// candidate runs beside the served model on a sampled fraction of the app's live calls (<see cref="ShadowRun"/>).
/// Its counts are journaled at every progress report, so a restart resumes them. The job goes on to the switch only
/// with enough samples, enough agreement and a p95 within the bound; otherwise it ends <c>rolled-back</c> with the
/// figures and the worst samples. The served model serves throughout; nothing is switched before the verdict.
/// </summary>
internal sealed partial class OtaJobRunner
{
    private static readonly TimeSpan ShadowPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>Refuses a shadow job before download when the device cannot hold a second session.</summary>
    private void CheckShadowMemory(OtaJobDocument job)
    {
        if (job.Shadow is null || _runtime.Memory.AvailableBytes() is not { } available)
        {
            return;
        }

        var needed = (long)Math.Min(long.MaxValue, job.Package.Size * Options.ShadowMemoryFactor);
        if (available < needed)
        {
            throw new OtaJobException(
                OtaJobStates.Failed,
                string.Create(CultureInfo.InvariantCulture, $"not enough memory to shadow: a second session needs about {needed} bytes (package {job.Package.Size} × Ota:ShadowMemoryFactor {Options.ShadowMemoryFactor}), {available} are available (MemAvailable); refused before download"),
                new Dictionary<string, double> { ["neededBytes"] = needed, ["availableBytes"] = available, ["packageBytes"] = job.Package.Size, ["memoryFactor"] = Options.ShadowMemoryFactor });
        }
    }

    private async Task<JobRecord> ShadowAsync(JobRecord record, string slot, SlotManifest manifest, CancellationToken cancellationToken)
    {
        if (record.Job.Shadow is not { } request)
        {
            return record;
        }

        var model = _runtime.Model;
        if (model.Host is not { } host || model.Name is not { } servedName || model.Version is not { } servedVersion)
        {
            throw new OtaJobException(OtaJobStates.RolledBack, "shadow: no model serves on this device, so there is nothing to shadow the candidate against");
        }

        var resumed = record.Shadow;
        record = record with { Shadow = resumed };
        await ReportAsync(record, OtaJobStates.HealthChecking, null, Phases.Shadow, null, cancellationToken);
        var options = OtaSessionOptions.Create(Options, manifest.Name + ".shadow", manifest.Version, Slots.EngineCachePath(slot));
        options.WarmupRuns = 0;
        ShadowRun run;
        try
        {
            run = await ShadowRun.StartAsync(
                host, servedName, servedVersion, request.SampleFraction, Options.ShadowQueueCapacity,
                () => EdgeSession.Load(Slots.ModelPath(slot, manifest), options), request.RelativeErrorTolerance, resumed, cancellationToken);
        }
        catch (EdgeException e)
        {
            throw new OtaJobException(OtaJobStates.RolledBack, $"shadow: the candidate does not load on {Options.Provider}: {e.Message}", null, e);
        }

        try
        {
            using (run)
            {
                record = await FollowShadowAsync(record, run, request, cancellationToken);
            }
        }
        finally
        {
            _runtime.Shadow.Current = null;
        }

        // The counts are final: journal them, and report them as the shadow's last progress before the verdict.
        await _runtime.Journal.SaveAsync(_runtime.Journal.Find(record.Job.JobId)! with { Shadow = record.Shadow }, cancellationToken);
        var figures = record.Shadow!.ToFigures();
        PostShadowProgress(record, figures, request);
        if (Verdict(figures, request) is { } rejection)
        {
            throw new OtaJobException(OtaJobStates.RolledBack, rejection, ShadowFigures(figures));
        }

        return record;
    }

    private async Task<JobRecord> FollowShadowAsync(JobRecord record, ShadowRun run, OtaShadowRequest request, CancellationToken cancellationToken)
    {
        var started = _runtime.Time.GetTimestamp();
        try
        {
            return await PollShadowAsync(record, run, request, started, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && _runtime.Journal.Find(record.Job.JobId) is { } saved)
        {
            // An agent that stops keeps what it counted since the last report; the next run resumes from there.
            await _runtime.Journal.SaveAsync(saved with { Shadow = run.Snapshot(_runtime.Time.GetElapsedTime(started).TotalSeconds) }, CancellationToken.None);
            throw;
        }
    }

    private async Task<JobRecord> PollShadowAsync(JobRecord record, ShadowRun run, OtaShadowRequest request, long started, CancellationToken cancellationToken)
    {
        var reported = started;
        var timeout = TimeSpan.FromSeconds(request.TimeoutSeconds);
        var already = TimeSpan.FromSeconds(record.Shadow?.ElapsedSeconds ?? 0);
        while (true)
        {
            var elapsed = _runtime.Time.GetElapsedTime(started);
            var progress = run.Snapshot(elapsed.TotalSeconds);
            record = record with { Shadow = progress };
            if (progress.Samples >= request.MinSamples || already + elapsed >= timeout)
            {
                return record;
            }

            if (_runtime.Time.GetElapsedTime(reported) >= Options.ProgressInterval)
            {
                reported = _runtime.Time.GetTimestamp();
                var figures = progress.ToFigures();
                _runtime.Shadow.Current = figures;
                await _runtime.Journal.SaveAsync(_runtime.Journal.Find(record.Job.JobId)! with { Shadow = progress }, cancellationToken);
                PostShadowProgress(record, figures, request);
            }

            await Task.Delay(ShadowPoll, _runtime.Time, cancellationToken);
        }
    }

    private void PostShadowProgress(JobRecord record, OtaShadowFigures figures, OtaShadowRequest request) =>
        _runtime.Reporter.Post(_runtime.Reporter.Create(record.Job.JobId, OtaJobStates.HealthChecking) with
        {
            Reason = DropNote(figures, request),
            Phase = Phases.Shadow,
            FromVersion = record.FromVersion,
            ToVersion = record.Job.Package.Version,
            ActiveVersion = _runtime.Model.Version,
            Shadow = figures,
        });

    /// <summary>Why the candidate is rejected, or null to promote it.</summary>
    internal static string? Verdict(OtaShadowFigures figures, OtaShadowRequest request)
    {
        var problems = new List<string>();
        if (figures.Samples < request.MinSamples)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"only {figures.Samples} of {request.MinSamples} samples within {request.TimeoutSeconds} s ({figures.LiveCalls} live calls, {figures.Dropped} of {figures.Sampled} sampled dropped on a full queue)"));
        }

        if (figures.Samples > 0 && figures.Agreement < request.MinAgreement)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"agreement {figures.Agreement:F4} < {request.MinAgreement} ({figures.Agreements} of {figures.Samples} {figures.Task} samples, {figures.CandidateErrors} candidate errors)"));
        }

        if (figures.LatencyRatio > request.MaxLatencyRatio)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"candidate p95 {figures.CandidateP95Ms:F3} ms > {request.MaxLatencyRatio} × served p95 {figures.ServingP95Ms:F3} ms ({figures.LatencyRatio:F2}×)"));
        }

        if (problems.Count == 0)
        {
            return null;
        }

        var worst = figures.WorstExamples.Count == 0 ? "" : "; worst samples: " + string.Join(", ", figures.WorstExamples.Select(w => string.Create(CultureInfo.InvariantCulture, $"#{w.Index} ({w.Detail})")));
        return "shadow: " + string.Join("; ", problems) + worst;
    }

    private static string? DropNote(OtaShadowFigures figures, OtaShadowRequest request) =>
        figures.Dropped == 0
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"shadow queue full: {figures.Dropped} of {figures.Sampled} sampled calls dropped, effective sample rate {figures.EffectiveSampleRate:P2} of the requested {request.SampleFraction:P2}");

    private static Dictionary<string, double> ShadowFigures(OtaShadowFigures figures)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["shadowSamples"] = figures.Samples,
            ["shadowAgreements"] = figures.Agreements,
            ["shadowCandidateErrors"] = figures.CandidateErrors,
            ["shadowDropped"] = figures.Dropped,
        };
        Add(result, "shadowAgreement", figures.Agreement);
        Add(result, "shadowCandidateP95Ms", figures.CandidateP95Ms);
        Add(result, "shadowServingP95Ms", figures.ServingP95Ms);
        Add(result, "shadowLatencyRatio", figures.LatencyRatio);
        Add(result, "shadowEffectiveSampleRate", figures.EffectiveSampleRate);
        return result;

        static void Add(Dictionary<string, double> into, string key, double? value)
        {
            if (value is { } v)
            {
                into[key] = v;
            }
        }
    }
}
