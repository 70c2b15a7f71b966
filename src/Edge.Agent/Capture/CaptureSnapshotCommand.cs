using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Agent.Commands;

namespace Edge.Agent.Capture;

/// <summary>
/// <c>capture-snapshot</c> with <c>{"snapshotId"?}</c>: the named snapshot when the device still holds it (a resumed
/// pull), otherwise a new one of the ring as it is now. Answers <c>{snapshotId, size, sha256, samples, models,
/// requestedFound}</c>; the fleet then fetches its chunks.
/// </summary>
internal sealed class CaptureSnapshotCommand : IAgentCommand
{
    private readonly CaptureRuntime _runtime;

    public CaptureSnapshotCommand(CaptureRuntime runtime) => _runtime = runtime;

    public string Name => "capture-snapshot";

    public async ValueTask<JsonNode?> ExecuteAsync(JsonElement arguments, CancellationToken cancellationToken)
    {
        var requested = CommandArguments.String(arguments, "snapshotId");
        var snapshot = requested is null ? null : await _runtime.Snapshots.FindAsync(requested, cancellationToken);
        var found = snapshot is not null;
        snapshot ??= await _runtime.Snapshots.CreateAsync(_runtime.Ring, cancellationToken);
        var result = new JsonObject
        {
            ["snapshotId"] = snapshot.Id,
            ["size"] = snapshot.Size,
            ["sha256"] = snapshot.Sha256,
            ["samples"] = snapshot.Samples,
            ["models"] = CaptureStatusCommand.Models(snapshot.Models),
            ["enabled"] = _runtime.Settings.Enabled,
        };
        if (requested is not null)
        {
            result["requestedFound"] = found;
        }

        return result;
    }
}
