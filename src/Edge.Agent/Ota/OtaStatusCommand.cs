using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Agent.Commands;
using Edge.Agent.Ota.Health;

namespace Edge.Agent.Ota;

/// <summary>
/// <c>ota-status</c>: the active and previous slots, the model actually served, and a probe that runs the served
/// slot's first golden sample through the live <c>ModelHost</c> (proof that a valid model serves, used by the crash tests).
/// </summary>
internal sealed class OtaStatusCommand : IAgentCommand
{
    private readonly OtaRuntime _runtime;

    public OtaStatusCommand(OtaRuntime runtime)
    {
        _runtime = runtime;
    }

    public string Name => "ota-status";

    public async ValueTask<JsonNode?> ExecuteAsync(JsonElement arguments, CancellationToken cancellationToken)
    {
        var pointer = await _runtime.Slots.ReadPointerAsync(cancellationToken);
        var model = _runtime.Model;
        var result = new JsonObject
        {
            ["enabled"] = _runtime.Options.Enabled,
            ["activeSlot"] = pointer?.Active.Slot,
            ["activeVersion"] = pointer?.Active.Version,
            ["previousVersion"] = pointer?.Previous?.Version,
            ["trialJobId"] = pointer?.TrialJobId,
            ["servedName"] = model.Name,
            ["servedVersion"] = model.Version,
            ["servedSlot"] = model.Slot,
            ["unfinishedJobs"] = new JsonArray([.. _runtime.Journal.Unfinished().Select(r => (JsonNode)JsonValue.Create($"{r.Job.JobId}:{r.State}"))]),
        };
        if (model.Host is { } host && model.Slot is { } slot)
        {
            var (manifest, problem) = await _runtime.Slots.InspectAsync(slot, cancellationToken);
            var samples = manifest is null ? [] : await GoldenSample.LoadAsync(manifest.Golden, p => _runtime.Slots.FilePath(slot, p), cancellationToken);
            if (samples.Count > 0)
            {
                using var lease = host.Acquire();
                problem = GoldenRunner.Check(lease.Session, samples[0], out var maxError);
                result["probeMaxAbsError"] = maxError;
                result["probeServedVersion"] = lease.Session.ModelVersion;
            }

            result["probeOk"] = samples.Count > 0 && problem is null;
            result["probeProblem"] = problem ?? (samples.Count == 0 ? "the served slot has no golden sample" : null);
        }

        return result;
    }
}
