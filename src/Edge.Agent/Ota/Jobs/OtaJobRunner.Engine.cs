using Edge.Agent.Ota.Slots;
using Edge.Sdk;
using Microsoft.Extensions.Logging;

namespace Edge.Agent.Ota.Jobs;

/// <summary>Engine warm-up: a TensorRT device builds the staged model's engine into its slot's cache before the gate.</summary>
internal sealed partial class OtaJobRunner
{
    /// <summary>Figure name of the engine build time in milliseconds, in the gate's report (and a failed build's).</summary>
    public const string EngineBuildFigure = "engineBuildMs";

    /// <summary>
    /// Builds the staged model's engine into <see cref="SlotStore.EngineCachePath"/> of its slot when the provider
    /// builds engines; the gate and the served session then load it. Returns the build time as a figure, or null when
    /// nothing was built. A failed build ends the job <c>rolled-back</c>: nothing was switched, the old model serves.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, double>?> WarmEngineAsync(JobRecord record, string slot, SlotManifest manifest, CancellationToken cancellationToken)
    {
        var options = OtaSessionOptions.Create(Options, manifest.Name, manifest.Version, Slots.EngineCachePath(slot));
        if (!_engines.Applies(options))
        {
            return null;
        }

        await ReportAsync(record, OtaJobStates.HealthChecking, null, Phases.Engine, null, cancellationToken);
        var modelPath = Slots.ModelPath(slot, manifest);
        var cache = options.TensorRt.EngineCacheDirectory!;
        Directory.CreateDirectory(cache);
        var started = _runtime.Time.GetTimestamp();
        try
        {
            await Task.Run(() => _engines.Warm(modelPath, options, cancellationToken), cancellationToken);
        }
        catch (EdgeException e)
        {
            var failedAfter = Milliseconds(started);
            // A half-built engine must not be loaded later: the folder goes now, not with the slot's next staging.
            Directory.Delete(cache, recursive: true);
            LogEngineFailed(_logger, record.Job.JobId, manifest.Name, manifest.Version, failedAfter, e);
            throw new OtaJobException(
                OtaJobStates.RolledBack,
                $"engine build: {Options.Provider} could not build the engine for {manifest.Name} {manifest.Version} after {failedAfter:F0} ms: {e.Message}",
                new Dictionary<string, double> { [EngineBuildFigure] = failedAfter },
                e);
        }

        var elapsed = Milliseconds(started);
        LogEngineBuilt(_logger, record.Job.JobId, manifest.Name, manifest.Version, elapsed, cache);
        return new Dictionary<string, double> { [EngineBuildFigure] = elapsed };
    }

    private double Milliseconds(long started) => Math.Round(_runtime.Time.GetElapsedTime(started).TotalMilliseconds, 1);

    [LoggerMessage(Level = LogLevel.Information, Message = "OTA job {JobId}: engine for {Model} {Version} built in {Milliseconds} ms into {Cache}")]
    private static partial void LogEngineBuilt(ILogger logger, string jobId, string model, string version, double milliseconds, string cache);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA job {JobId}: engine for {Model} {Version} failed to build after {Milliseconds} ms; the job is rejected, the active model keeps serving")]
    private static partial void LogEngineFailed(ILogger logger, string jobId, string model, string version, double milliseconds, Exception exception);
}
