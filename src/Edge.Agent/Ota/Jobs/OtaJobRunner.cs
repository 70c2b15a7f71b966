using Edge.Agent.Observability;
using Edge.Agent.Ota.Engines;
using Edge.Agent.Ota.Health;
using Edge.Agent.Ota.Slots;
using Edge.Agent.Ota.Transfer;
using Edge.Packaging;
using Edge.Sdk;
using Edge.Sdk.Inference;
using Microsoft.Extensions.Logging;

namespace Edge.Agent.Ota.Jobs;

/// <summary>
/// Runs one job through its states: constraints and anti-rollback, download (resumable), whole-file hash, package
/// verification, staging into the inactive slot, app deferral, health gate, atomic switch with hot swap, watch
/// window, commit. Every refusal before the switch leaves the active slot and the served model untouched; every
/// refusal after it switches back. A rerun after a restart redoes the steps that are not durable yet.
/// </summary>
internal sealed partial class OtaJobRunner
{
    private readonly OtaRuntime _runtime;
    private readonly MqttChunkTransfer _mqtt;
    private readonly HttpRangeTransfer _http;
    private readonly IOtaDeferHook? _deferHook;
    private readonly IEngineWarmer _engines;
    private readonly ILogger<OtaJobRunner> _logger;
    private readonly OtaJobInstruments _instruments;

    public OtaJobRunner(
        OtaRuntime runtime,
        MqttChunkTransfer mqtt,
        HttpRangeTransfer http,
        IEnumerable<IOtaDeferHook> deferHooks,
        IEngineWarmer engines,
        OtaJobInstruments instruments,
        ILogger<OtaJobRunner> logger)
    {
        _instruments = instruments;
        _runtime = runtime;
        _mqtt = mqtt;
        _http = http;
        _deferHook = deferHooks.LastOrDefault();
        _engines = engines;
        _logger = logger;
    }

    private OtaOptions Options => _runtime.Options;

    private SlotStore Slots => _runtime.Slots;

    /// <summary>Runs the job until it ends or <paramref name="cancellationToken"/> stops the agent; traced and counted when it ends.</summary>
    public async Task RunAsync(JobRecord record, CancellationToken cancellationToken)
    {
        using var activity = OtaJobInstruments.StartJob(record.Job);
        var started = _runtime.Time.GetTimestamp();
        try
        {
            await RunStepsAsync(record, cancellationToken);
        }
        finally
        {
            // A run cut short by shutdown has no outcome yet; it is counted when a later run ends it.
            if (_runtime.Journal.Find(record.Job.JobId) is { } saved && OtaJobStates.IsTerminal(saved.State))
            {
                _instruments.RecordEnd(activity, saved.State, saved.Reason, _runtime.Time.GetElapsedTime(started));
            }
        }
    }

    private async Task RunStepsAsync(JobRecord record, CancellationToken cancellationToken)
    {
        var job = record.Job;
        using var baseline = _runtime.Model.Name is { } activeName && _runtime.Model.Version is { } activeVersion ? new LiveMetricsWatch(activeName, activeVersion) : null;
        try
        {
            if (job.Bench is not null)
            {
                await RunBenchAsync(record, baseline, cancellationToken);
                return;
            }

            var pointer = await Slots.ReadPointerAsync(cancellationToken);
            if (record.Phase == Phases.Rollback)
            {
                await CompleteRollbackAsync(record, pointer, record.Reason ?? "rolled back", null, cancellationToken);
                return;
            }

            if (pointer?.TrialJobId == job.JobId)
            {
                await WatchAndCommitAsync(record, pointer, cancellationToken);
                return;
            }

            if (pointer is { TrialJobId: null } && await IsInstalledAsync(pointer, job, cancellationToken))
            {
                await FinishAsync(record, OtaJobStates.Succeeded, null, null, cancellationToken);
                return;
            }

            record = record with { FromVersion = pointer?.Active.Version };
            await CheckConstraintsAsync(record, pointer, cancellationToken);
            var packagePath = await DownloadAsync(record, cancellationToken);
            var (slot, manifest) = await VerifyAndStageAsync(record, pointer, packagePath, cancellationToken);
            await DeferAsync(record, cancellationToken);
            var baselineP95 = baseline?.Snapshot() is { } live && live.Calls >= job.HealthGate.MinWatchCalls ? live.P95Ms : (double?)null;
            record = await GateAsync(record, pointer, slot, manifest, baselineP95, cancellationToken);
            record = await ShadowAsync(record, slot, manifest, cancellationToken);
            pointer = await ActivateAsync(record, pointer, slot, manifest, cancellationToken);
            await WatchAndCommitAsync(record, pointer, cancellationToken);
        }
        catch (OtaJobException e)
        {
            await EndAsync(record, e.Outcome, e.Message, e.Figures, cancellationToken);
        }
        catch (PackageVerificationException e)
        {
            await EndAsync(record, OtaJobStates.Failed, $"package refused ({e.Kind}): {e.Message}", null, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or EdgeException && !cancellationToken.IsCancellationRequested)
        {
            await EndAsync(record, OtaJobStates.Failed, $"{e.GetType().Name}: {e.Message}", null, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Anything else is a bug in a step, not in the job; it still ends this job (with its files) and never
            // the queue: the next job must run. Logged with its stack trace so the bug can be found.
            LogUnexpected(_logger, job.JobId, e);
            await EndAsync(record, OtaJobStates.Failed, $"internal error ({e.GetType().Name}): {e.Message}", null, cancellationToken);
        }
    }

    private async Task EndAsync(JobRecord record, string outcome, string reason, IReadOnlyDictionary<string, double>? figures, CancellationToken cancellationToken)
    {
        var current = _runtime.Journal.Find(record.Job.JobId) ?? record;
        var pointer = await Slots.ReadPointerAsync(cancellationToken);
        if (pointer?.TrialJobId == record.Job.JobId)
        {
            // Anything that goes wrong after the switch ends with the old model back in service.
            await RollbackAsync(current, pointer, reason, figures, cancellationToken);
            return;
        }

        await FinishAsync(current, outcome, reason, figures, cancellationToken);
    }

    private async Task<bool> IsInstalledAsync(SlotPointer pointer, OtaJobDocument job, CancellationToken cancellationToken)
    {
        if (pointer.Active.Name != job.Package.Name || pointer.Active.Version != job.Package.Version)
        {
            return false;
        }

        var (manifest, _) = await Slots.InspectAsync(pointer.Active.Slot, cancellationToken);
        return manifest?.PackageSha256 == job.Package.Sha256;
    }

    private async Task CheckConstraintsAsync(JobRecord record, SlotPointer? pointer, CancellationToken cancellationToken)
    {
        var job = record.Job;
        var now = _runtime.Time.GetUtcNow();
        if (job.Constraints.Deadline is { } deadline && now > deadline)
        {
            throw OtaJobException.Fail($"deadline passed: the job was due by {deadline:O}, it is {now:O}");
        }

        if (job.Constraints.MinimumAgentVersion is { } minimumAgent && Compare(OtaRuntime.AgentVersion, minimumAgent) < 0)
        {
            throw OtaJobException.Fail($"agent too old: the job needs agent {minimumAgent} or newer, this agent is {OtaRuntime.AgentVersion}");
        }

        var device = _runtime.Device;
        if (job.Constraints.Target is { } target)
        {
            var problems = new List<string>();
            if (!target.Architectures.Contains(device.Architecture, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"architecture: the job targets [{string.Join(", ", target.Architectures)}], this device is {device.Architecture}");
            }

            if (!target.ExecutionProviders.Any(p => device.ExecutionProviders.Contains(PackageDeviceDescription.NormalizeProvider(p), StringComparer.Ordinal)))
            {
                problems.Add($"execution providers: the job needs one of [{string.Join(", ", target.ExecutionProviders)}], this device has [{string.Join(", ", device.ExecutionProviders)}]");
            }

            if (problems.Count > 0)
            {
                throw OtaJobException.Fail($"job for another target: {string.Join("; ", problems)}");
            }
        }

        CheckNotDowngrade(job, pointer);
        CheckShadowMemory(job);
        var download = Path.Combine(_runtime.DownloadsFolder, job.JobId + ".part");
        var held = File.Exists(download) ? Math.Min(new FileInfo(download).Length, job.Package.Size) : 0;
        // Checked: the sizes come from outside. Validation bounds them far below overflow; this is the second line.
        var needed = checked((job.Package.Size * 2) - held + Options.DiskReserveBytes);
        var available = _runtime.DiskSpace.AvailableBytes(Slots.Root);
        if (available < needed)
        {
            throw OtaJobException.Fail($"disk full: the job needs {needed} bytes free on '{Slots.Root}' (package {job.Package.Size} to download and {job.Package.Size} to stage, plus a reserve of {Options.DiskReserveBytes}), {available} are available");
        }

        await Task.CompletedTask;
    }

    private static void CheckNotDowngrade(OtaJobDocument job, SlotPointer? pointer)
    {
        if (pointer is null || job.AllowDowngrade)
        {
            return;
        }

        if (Compare(job.Package.Version, pointer.Active.Version) <= 0)
        {
            throw OtaJobException.Fail($"downgrade refused: version {job.Package.Version} is not newer than the active {pointer.Active.Version} (set allowDowngrade to install it)");
        }
    }

    private static int Compare(string left, string right) =>
        SemanticVersion.TryParse(left, out var l) && SemanticVersion.TryParse(right, out var r)
            ? l!.CompareTo(r)
            : throw OtaJobException.Fail($"cannot compare versions '{left}' and '{right}': not both Semantic Versioning 2.0.0");

    private async Task<string> DownloadAsync(JobRecord record, CancellationToken cancellationToken)
    {
        var job = record.Job;
        await ReportAsync(record, OtaJobStates.Downloading, null, null, null, cancellationToken);
        using var file = DownloadFile.Open(_runtime.DownloadsFolder, job.JobId, job.Package.Size, job.Transfer.ChunkSize);
        if (!file.IsComplete)
        {
            var session = new TransferSession(job, file, _runtime.Throttle, _runtime.Budget, _runtime.Time, Options.ProgressInterval, (progress, reason, ct) => ReportAsync(record, OtaJobStates.Downloading, reason, null, progress, ct));
            if (job.Transfer.Method == OtaTransferMethods.Http)
            {
                await _http.RunAsync(session, new Uri(job.Transfer.Url!), cancellationToken);
            }
            else
            {
                await _mqtt.RunAsync(session, cancellationToken);
            }
        }

        var sha = await file.ComputeSha256Async(cancellationToken);
        if (sha != job.Package.Sha256)
        {
            file.Dispose();
            DownloadFile.Delete(_runtime.DownloadsFolder, job.JobId);
            throw OtaJobException.Fail($"hash mismatch after download: the package's SHA-256 is {sha}, the job declares {job.Package.Sha256}");
        }

        return file.PartPath;
    }

    private async Task<(string Slot, SlotManifest Manifest)> VerifyAndStageAsync(JobRecord record, SlotPointer? pointer, string packagePath, CancellationToken cancellationToken)
    {
        var job = record.Job;
        await ReportAsync(record, OtaJobStates.Verifying, null, null, null, cancellationToken);
        var openOptions = new PackageOpenOptions
        {
            Device = _runtime.Device,
            AllowUnsignedPackagesForDevelopmentOnly = Options.AllowUnsignedPackagesForDevelopmentOnly,
        };
        var verified = await ModelPackage.VerifyAsync(packagePath, _runtime.Trust, openOptions, cancellationToken);
        if (verified.Manifest.Name != job.Package.Name || verified.Manifest.Version != job.Package.Version)
        {
            throw OtaJobException.Fail($"package mismatch: the package is {verified.Manifest.Name} {verified.Manifest.Version}, the job announces {job.Package.Name} {job.Package.Version}");
        }

        var slot = SlotStore.Other(pointer?.Active.Slot ?? SlotStore.SlotB);
        var manifest = await Slots.StageAsync(slot, packagePath, job.Package.Sha256, _runtime.Trust, openOptions, cancellationToken);
        await ReportAsync(record, OtaJobStates.Staged, null, null, null, cancellationToken);
        return (slot, manifest);
    }

    private async Task DeferAsync(JobRecord record, CancellationToken cancellationToken)
    {
        if (_deferHook is null)
        {
            return;
        }

        var started = _runtime.Time.GetTimestamp();
        var update = new OtaUpdate(record.Job.JobId, record.Job.Package.Name, record.FromVersion, record.Job.Package.Version);
        while (true)
        {
            var remaining = Options.MaxDeferral - _runtime.Time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                LogDeferralExpired(_logger, record.Job.JobId, Options.MaxDeferral.TotalSeconds);
                return;
            }

            var wait = await _deferHook.DeferAsync(update, cancellationToken);
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            wait = wait < remaining ? wait : remaining;
            await ReportAsync(record, OtaJobStates.Staged, $"deferred by the app for {wait.TotalSeconds:F1} s (at most {Options.MaxDeferral.TotalSeconds:F0} s in all)", Phases.Deferred, null, cancellationToken);
            await Task.Delay(wait, _runtime.Time, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "OTA job {JobId} failed on an unexpected error; the job ends as failed and the queue goes on")]
    private static partial void LogUnexpected(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA job {JobId}: the app deferred activation for the maximum {Seconds} s; proceeding")]
    private static partial void LogDeferralExpired(ILogger logger, string jobId, double seconds);
}
