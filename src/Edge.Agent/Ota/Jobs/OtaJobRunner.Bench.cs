using System.Globalization;
using Edge.Agent.Ota.Bench;
using Edge.Agent.Ota.Health;
using Edge.Agent.Ota.Slots;
using Edge.Packaging;
using Edge.Protocol;

namespace Edge.Agent.Ota.Jobs;

/// <summary>
/// Bench jobs (<see cref="OtaJobDocument.Bench"/>): constraints, download and verification as for an install, but a
/// signed package only and no version rule; the package is extracted into the <c>bench</c> folder beside the slots,
/// timed beside the served model (<see cref="CandidateBench"/>) and deleted, whatever the outcome. The active slot,
/// the pointer and the served session are never touched. A candidate that kills the agent is retried after the
/// restart and abandoned after <c>Ota:MaxJobRestarts</c>, like any job.
/// </summary>
internal sealed partial class OtaJobRunner
{
    private async Task RunBenchAsync(JobRecord record, LiveMetricsWatch? live, CancellationToken cancellationToken)
    {
        var job = record.Job;
        var pointer = await Slots.ReadPointerAsync(cancellationToken);
        record = record with { FromVersion = pointer?.Active.Version };
        // No pointer: a bench installs nothing, so the anti-rollback rule does not apply.
        await CheckConstraintsAsync(record, null, cancellationToken);
        var packagePath = await DownloadAsync(record, cancellationToken);
        await ReportAsync(record, OtaJobStates.Verifying, null, null, null, cancellationToken);
        // Unsigned candidates are refused even where unsigned installs are allowed for development: a bench runs
        // code-like model files on a device that is serving.
        var openOptions = new PackageOpenOptions { Device = _runtime.Device, AllowUnsignedPackagesForDevelopmentOnly = false };
        var verified = await ModelPackage.VerifyAsync(packagePath, _runtime.Trust, openOptions, cancellationToken);
        if (verified.Manifest.Name != job.Package.Name || verified.Manifest.Version != job.Package.Version)
        {
            throw OtaJobException.Fail($"package mismatch: the package is {verified.Manifest.Name} {verified.Manifest.Version}, the job announces {job.Package.Name} {job.Package.Version}");
        }

        OtaBenchResult result;
        string? reason;
        try
        {
            var manifest = await Slots.StageAsync(SlotStore.BenchFolder, packagePath, job.Package.Sha256, _runtime.Trust, openOptions, cancellationToken);
            await ReportAsync(record, OtaJobStates.HealthChecking, null, Phases.Bench, null, cancellationToken);
            var candidate = new BenchModel(
                Slots.ModelPath(SlotStore.BenchFolder, manifest), manifest.Name, manifest.Version,
                await GoldenSample.LoadAsync(manifest.Golden, p => Slots.FilePath(SlotStore.BenchFolder, p), cancellationToken),
                Slots.EngineCachePath(SlotStore.BenchFolder));
            if (candidate.Samples.Count == 0)
            {
                throw OtaJobException.Fail("bench: the package has no golden samples to time its model on; pack it with golden samples");
            }

            var serving = await ServingModelAsync(pointer, cancellationToken);
            var before = live?.Snapshot();
            using var during = _runtime.Model.Name is { } name && _runtime.Model.Version is { } version ? new LiveMetricsWatch(name, version) : null;
            var measured = await CandidateBench.RunAsync(Options, candidate, serving, job.Bench!, _runtime.Time).WaitAsync(cancellationToken);
            result = new OtaBenchResult
            {
                Hardware = _runtime.Hardware,
                Provider = measured.Provider,
                Threads = Options.IntraOpThreads,
                Candidate = measured.Candidate,
                Serving = measured.Serving,
                LatencyRatio = measured.Serving is { P50Ms: > 0 } s ? Math.Round(measured.Candidate.P50Ms / s.P50Ms, 4) : null,
                CandidatePeakMemoryBytes = measured.CandidatePeakMemoryBytes,
                Nice = measured.Nice,
                Truncated = measured.Truncated,
                LiveBefore = before is { } b ? Live(b) : null,
                LiveDuring = during?.Snapshot() is { } d ? Live(d) : null,
            };
            record = record with { Bench = result };
            reason = measured.Truncated
                ? string.Create(CultureInfo.InvariantCulture, $"bench: ended at the {job.Bench!.MaxSeconds} s bound after {measured.Candidate.Runs} of {job.Bench.Runs} runs")
                : null;
        }
        finally
        {
            ClearBenchFolder(job.JobId);
        }

        // Reported only once the candidate's files are gone: whoever reads the outcome finds nothing left behind.
        await FinishAsync(record, OtaJobStates.Succeeded, reason, Figures(result), cancellationToken);
    }

    private async Task<BenchModel?> ServingModelAsync(SlotPointer? pointer, CancellationToken cancellationToken)
    {
        if (pointer is null)
        {
            return null;
        }

        var (manifest, _) = await Slots.InspectAsync(pointer.Active.Slot, cancellationToken);
        if (manifest is null)
        {
            return null;
        }

        var samples = await GoldenSample.LoadAsync(manifest.Golden, p => Slots.FilePath(pointer.Active.Slot, p), cancellationToken);
        return new BenchModel(Slots.ModelPath(pointer.Active.Slot, manifest), manifest.Name, manifest.Version, samples, Slots.EngineCachePath(pointer.Active.Slot));
    }

    private static OtaLiveFigures Live((long Calls, long Errors, double P95Ms) snapshot) =>
        new() { Calls = snapshot.Calls, P95Ms = snapshot.Calls > 0 ? Math.Round(snapshot.P95Ms, 4) : null };

    private static Dictionary<string, double> Figures(OtaBenchResult result)
    {
        var figures = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["candidateP50Ms"] = result.Candidate.P50Ms,
            ["candidateP95Ms"] = result.Candidate.P95Ms,
            ["candidatePeakMemoryBytes"] = result.CandidatePeakMemoryBytes,
        };
        if (result.Serving is { } serving)
        {
            figures["servingP50Ms"] = serving.P50Ms;
            figures["servingP95Ms"] = serving.P95Ms;
        }

        return figures;
    }

    private void ClearBenchFolder(string jobId)
    {
        try
        {
            Slots.Clear(SlotStore.BenchFolder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCleanupFailed(_logger, jobId, e.Message);
        }
    }
}
