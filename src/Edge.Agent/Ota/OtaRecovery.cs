using System.Security.Cryptography;
using Edge.Agent.Hosting;
using Edge.Agent.Ota.Jobs;
using Edge.Agent.Ota.Slots;
using Edge.Packaging;
using Edge.Sdk;
using Microsoft.Extensions.Logging;

namespace Edge.Agent.Ota;

/// <summary>
/// Start-up: installs the initial package when no slot is active, checks the active slot is complete (falling back
/// to the previous one when not), counts the restart against an interrupted job and abandons it past
/// <c>Ota:MaxJobRestarts</c> (switching back if its model was on trial), sends again the outcomes of ended jobs that
/// the broker never acknowledged, then loads the active model.
/// </summary>
internal sealed partial class OtaRecovery
{
    private readonly OtaRuntime _runtime;
    private readonly ILogger<OtaRecovery> _logger;

    public OtaRecovery(OtaRuntime runtime, ILogger<OtaRecovery> logger)
    {
        _runtime = runtime;
        _logger = logger;
    }

    private SlotStore Slots => _runtime.Slots;

    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Slots.Root);
        await _runtime.LoadTrustAsync(cancellationToken);
        await _runtime.Journal.LoadAsync(cancellationToken);
        var pointer = await Slots.ReadPointerAsync(cancellationToken);
        if (pointer is null && _runtime.Options.InitialPackage is { Length: > 0 } initial)
        {
            pointer = await InstallInitialAsync(initial, cancellationToken);
        }

        ResendUndeliveredOutcomes(pointer);
        pointer = await AbandonIfRestartedTooOftenAsync(pointer, cancellationToken);
        pointer = await EnsureIntactAsync(pointer, cancellationToken);
        if (pointer is null)
        {
            LogNoModel(_logger, Slots.Root);
            return;
        }

        var (manifest, _) = await Slots.InspectAsync(pointer.Active.Slot, cancellationToken);
        try
        {
            await _runtime.Model.LoadOrSwapAsync(Slots.ModelPath(pointer.Active.Slot, manifest!), OtaSessionOptions.Create(_runtime.Options, manifest!.Name, manifest.Version, Slots.EngineCachePath(pointer.Active.Slot)), pointer.Active.Slot, cancellationToken);
        }
        catch (EdgeException e) when (pointer.Previous is not null)
        {
            LogActiveFailedToLoad(_logger, pointer.Active.Slot, e.Message);
            var fallback = new SlotPointer { Active = pointer.Previous };
            await Slots.WritePointerAsync(fallback, cancellationToken);
            var (previous, problem) = await Slots.InspectAsync(fallback.Active.Slot, cancellationToken);
            if (previous is null)
            {
                throw new InvalidDataException($"Neither slot can serve: the active one failed to load ({e.Message}) and the previous one is damaged ({problem}).", e);
            }

            await _runtime.Model.LoadOrSwapAsync(Slots.ModelPath(fallback.Active.Slot, previous), OtaSessionOptions.Create(_runtime.Options, previous.Name, previous.Version, Slots.EngineCachePath(fallback.Active.Slot)), fallback.Active.Slot, cancellationToken);
        }

        LogServing(_logger, pointer.Active.Name, pointer.Active.Version, pointer.Active.Slot, pointer.TrialJobId is { } trial ? $" (on trial for job {trial})" : string.Empty);
    }

    private async Task<SlotPointer> InstallInitialAsync(string package, CancellationToken cancellationToken)
    {
        try
        {
            return await StageInitialAsync(package, cancellationToken);
        }
        catch (Exception e) when (e is PackageVerificationException or EdgeException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new AgentSettingsException($"Ota:InitialPackage '{package}' cannot be installed: {e.Message}", e);
        }
    }

    private async Task<SlotPointer> StageInitialAsync(string package, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(package);
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        var options = new PackageOpenOptions { Device = _runtime.Device, AllowUnsignedPackagesForDevelopmentOnly = _runtime.Options.AllowUnsignedPackagesForDevelopmentOnly };
        var manifest = await Slots.StageAsync(SlotStore.SlotA, package, sha, _runtime.Trust, options, cancellationToken);
        var pointer = new SlotPointer { Active = new SlotReference { Slot = SlotStore.SlotA, Name = manifest.Name, Version = manifest.Version } };
        await Slots.WritePointerAsync(pointer, cancellationToken);
        return pointer;
    }

    /// <summary>
    /// A job's outcome is journaled before it is published; a kill in between must not leave the fleet waiting on a
    /// job that already ended. Oldest first, so the newest job's outcome is the one the broker retains.
    /// </summary>
    private void ResendUndeliveredOutcomes(SlotPointer? pointer)
    {
        foreach (var record in _runtime.Journal.Undelivered())
        {
            LogResending(_logger, record.Job.JobId, record.State);
            _runtime.Reporter.Post(_runtime.Reporter.Create(record.Job.JobId, record.State) with
            {
                Reason = record.Reason,
                FromVersion = record.FromVersion,
                ToVersion = record.Job.Package.Version,
                ActiveVersion = pointer?.Active.Version,
                Bench = record.Bench,
            });
        }
    }

    private async Task<SlotPointer?> AbandonIfRestartedTooOftenAsync(SlotPointer? pointer, CancellationToken cancellationToken)
    {
        var running = _runtime.Journal.Unfinished().FirstOrDefault(r => r.State != OtaJobStates.Queued);
        if (running is null)
        {
            if (pointer is { TrialJobId: not null } && _runtime.Journal.Find(pointer.TrialJobId) is { IsTerminal: true } done)
            {
                // The job ended but the commit or rollback pointer write was cut off: make the pointer agree with the journal.
                pointer = done.State == OtaJobStates.Succeeded || pointer.Previous is null
                    ? pointer with { TrialJobId = null }
                    : new SlotPointer { Active = pointer.Previous, Previous = pointer.Active };
                await Slots.WritePointerAsync(pointer, cancellationToken);
            }

            return pointer;
        }

        var restarts = running.Restarts + 1;
        running = running with { Restarts = restarts };
        await _runtime.Journal.SaveAsync(running, cancellationToken);
        if (restarts <= _runtime.Options.MaxJobRestarts)
        {
            LogResuming(_logger, running.Job.JobId, running.State, restarts);
            return pointer;
        }

        var reason = $"abandoned after {restarts} agent restarts during the job (last state {running.State})";
        var outcome = OtaJobStates.Failed;
        if (pointer is { TrialJobId: not null } && pointer.TrialJobId == running.Job.JobId && pointer.Previous is not null)
        {
            pointer = new SlotPointer { Active = pointer.Previous, Previous = pointer.Active };
            await Slots.WritePointerAsync(pointer, cancellationToken);
            outcome = OtaJobStates.RolledBack;
        }

        await _runtime.Journal.SaveAsync(running with { State = outcome, Reason = reason, Phase = null }, cancellationToken);
        _runtime.Reporter.Post(_runtime.Reporter.Create(running.Job.JobId, outcome) with
        {
            Reason = reason,
            FromVersion = running.FromVersion,
            ToVersion = running.Job.Package.Version,
            ActiveVersion = pointer?.Active.Version,
        });
        Transfer.DownloadFile.Delete(_runtime.DownloadsFolder, running.Job.JobId);
        if (running.Job.Bench is not null)
        {
            Slots.Clear(SlotStore.BenchFolder);
        }

        return pointer;
    }

    private async Task<SlotPointer?> EnsureIntactAsync(SlotPointer? pointer, CancellationToken cancellationToken)
    {
        if (pointer is null)
        {
            return null;
        }

        var (_, problem) = await Slots.InspectAsync(pointer.Active.Slot, cancellationToken);
        if (problem is null)
        {
            return pointer;
        }

        LogActiveDamaged(_logger, problem);
        if (pointer.Previous is { } previous && (await Slots.InspectAsync(previous.Slot, cancellationToken)).Problem is null)
        {
            var fallback = new SlotPointer { Active = previous };
            await Slots.WritePointerAsync(fallback, cancellationToken);
            return fallback;
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OTA: serving {Name} {Version} from slot {Slot}{Trial}")]
    private static partial void LogServing(ILogger logger, string name, string version, string slot, string trial);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA: no model slot is active under {Root}; nothing is served until a job installs one")]
    private static partial void LogNoModel(ILogger logger, string root);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA: resuming job {JobId} from {State} after restart {Restarts}")]
    private static partial void LogResuming(ILogger logger, string jobId, string state, int restarts);

    [LoggerMessage(Level = LogLevel.Information, Message = "OTA: job {JobId} ended {State} but the broker never acknowledged the report; sending it again")]
    private static partial void LogResending(ILogger logger, string jobId, string state);

    [LoggerMessage(Level = LogLevel.Error, Message = "OTA: the active slot is damaged ({Problem}); falling back to the previous slot")]
    private static partial void LogActiveDamaged(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "OTA: the model in slot {Slot} failed to load ({Error}); falling back to the previous slot")]
    private static partial void LogActiveFailedToLoad(ILogger logger, string slot, string error);
}
