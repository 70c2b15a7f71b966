using System.Globalization;
using System.Text.Json;
using Edge.Agent.Ota;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Health;

/// <summary>
/// Readiness of OTA. Unhealthy when, with no job running, the served model is not the one the A/B pointer names
/// active (a switch or rollback that did not complete: the device serves something the fleet does not expect) or the
/// pointer cannot be read. Degraded when a job has not ended <see cref="HealthOptions.OtaJobStuckAfter"/> after it
/// arrived, or a model is left on trial with no job to commit or roll it back.
/// </summary>
internal sealed class OtaHealthCheck : IHealthCheck
{
    private readonly OtaRuntime _runtime;
    private readonly TimeSpan _stuckAfter;

    public OtaHealthCheck(OtaRuntime runtime, IOptions<EdgeAgentOptions> options)
    {
        _runtime = runtime;
        _stuckAfter = options.Value.Health.OtaJobStuckAfter;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!_runtime.Options.Enabled)
        {
            return HealthCheckResult.Healthy("OTA is off (Ota:Enabled is false)");
        }

        Ota.Slots.SlotPointer? pointer;
        try
        {
            pointer = await _runtime.Slots.ReadPointerAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
        {
            return HealthCheckResult.Unhealthy($"the A/B pointer cannot be read: {e.Message}");
        }

        var unfinished = _runtime.Journal.Unfinished();
        var served = _runtime.Model.Version;
        if (unfinished.Count == 0 && pointer is not null && (served != pointer.Active.Version || _runtime.Model.Slot != pointer.Active.Slot))
        {
            return HealthCheckResult.Unhealthy(
                $"slot {pointer.Active.Slot} ({pointer.Active.Name} {pointer.Active.Version}) is active but {(served is null ? "no model" : $"{served} from slot {_runtime.Model.Slot}")} is served, with no job running: a switch or rollback did not complete");
        }

        var now = _runtime.Time.GetUtcNow();
        foreach (var job in unfinished)
        {
            var age = now - job.ReceivedUtc;
            if (age > _stuckAfter)
            {
                return HealthCheckResult.Degraded(string.Create(
                    CultureInfo.InvariantCulture,
                    $"job {job.Job.JobId} is still '{job.State}'{(job.Phase is null ? "" : $" ({job.Phase})")} {age.TotalMinutes:F0} min after it arrived (stuck after {_stuckAfter.TotalMinutes:F0} min)"));
            }
        }

        if (unfinished.Count == 0 && pointer?.TrialJobId is { } trial)
        {
            return HealthCheckResult.Degraded($"version {pointer.Active.Version} is on trial for job {trial}, but no job is running to commit or roll it back");
        }

        var running = unfinished.Count == 0 ? "no job running" : $"job {unfinished[0].Job.JobId} '{unfinished[0].State}', {unfinished.Count - 1} queued";
        return HealthCheckResult.Healthy($"active {pointer?.Active.Version ?? "none"}, served {served ?? "none"}; {running}");
    }
}
