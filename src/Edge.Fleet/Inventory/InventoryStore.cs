using System.Text.Json;
using Edge.Fleet.Connection;

namespace Edge.Fleet.Inventory;

/// <summary>
/// The inventory cache: the latest status of every device ever seen (so a device whose retained status was cleared
/// still shows, as offline) and operator labels used by group selectors. Implemented over SQLite
/// (<see cref="SqliteInventoryStore"/>) and PostgreSQL (<see cref="PostgresInventoryStore"/>); owned by the
/// <see cref="Storage.IFleetStore"/> that made it.
/// </summary>
internal abstract class InventoryStore
{
    /// <summary>Saves statuses; <paramref name="seen"/> is when they were received (used when a status has no timestamp).</summary>
    public abstract Task SaveStatusesAsync(IReadOnlyCollection<StatusPayload> statuses, DateTimeOffset seen, CancellationToken cancellationToken);

    /// <summary>Moves <c>last_seen</c> forward for devices heard from through telemetry.</summary>
    public abstract Task TouchAsync(IReadOnlyDictionary<string, DateTimeOffset> lastSeen, CancellationToken cancellationToken);

    /// <summary>Every device with its labels, ordered by device id.</summary>
    public abstract Task<IReadOnlyList<DeviceRecord>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Removes a device from the inventory: its status, labels and static group memberships. Telemetry and deployment
    /// history stay (they record what happened). Returns whether the inventory knew the device.
    /// </summary>
    public abstract Task<bool> ForgetAsync(string device, CancellationToken cancellationToken);

    /// <summary>Sets (or with a null value removes) labels of a device.</summary>
    public abstract Task SetLabelsAsync(string device, IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken);

    /// <summary>Keeps the facts of the last online status when <paramref name="status"/> (an offline Will) carries none.</summary>
    protected static StatusPayload MergeFacts(StatusPayload status, string? previousJson)
    {
        // An offline Will carries no facts: keep the facts of the last online status so the inventory still shows
        // board and versions of a device that dropped off.
        if (status.Facts is null && previousJson is not null
            && JsonSerializer.Deserialize(previousJson, FleetJsonContext.Default.StatusPayload)?.Facts is { } facts)
        {
            return status with { Facts = facts };
        }

        return status;
    }

    /// <summary>Builds the record of one stored device.</summary>
    protected static DeviceRecord Record(
        string device, string fleet, string state, string? reason, DateTimeOffset? lastSeen, string statusJson, Dictionary<string, Dictionary<string, string>> labels)
    {
        var facts = JsonSerializer.Deserialize(statusJson, FleetJsonContext.Default.StatusPayload)?.Facts;
        return new DeviceRecord
        {
            Device = device,
            Fleet = fleet,
            Online = state == "online",
            Reason = reason,
            LastSeen = lastSeen,
            Board = facts?.Board,
            Os = facts?.Os,
            Architecture = facts?.Architecture,
            AgentVersion = facts?.AgentVersion,
            SdkVersion = facts?.SdkVersion,
            Models = facts?.Models ?? [],
            Hardware = facts?.Hardware,
            Labels = labels.TryGetValue(device, out var own) ? own : new Dictionary<string, string>(),
        };
    }

    /// <summary>Adds one label row to the per-device label map (names compare case-insensitively).</summary>
    protected static void AddLabel(Dictionary<string, Dictionary<string, string>> labels, string device, string name, string value)
    {
        if (!labels.TryGetValue(device, out var own))
        {
            own = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            labels.Add(device, own);
        }

        own[name] = value;
    }
}
