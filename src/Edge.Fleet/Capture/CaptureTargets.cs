using Edge.Fleet.Connection;
using Edge.Fleet.Groups;
using Edge.Fleet.Inventory;
using Edge.Fleet.Storage;

namespace Edge.Fleet.Capture;

/// <summary>Turns a capture target, <c>DEVICE</c> or <c>group:NAME</c>, into device ids (a group's members from the store, with the broker's retained statuses for selector groups).</summary>
internal static class CaptureTargets
{
    private const string GroupPrefix = "group:";

    /// <exception cref="CliUsageException">The target is not a device id or <c>group:NAME</c>.</exception>
    /// <exception cref="FleetException">The group is unknown or has no members.</exception>
    public static async Task<IReadOnlyList<string>> ResolveAsync(
        string target, string fleet, BrokerConnection connection, Func<CancellationToken, Task<IFleetStore>> openStore, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!target.StartsWith(GroupPrefix, StringComparison.Ordinal))
        {
            return TopicScheme.IsSingleLevel(target)
                ? [target]
                : throw new CliUsageException($"'{target}' is not a device id or group:NAME; a device id is one topic level without '/', '+' or '#'.");
        }

        var name = target[GroupPrefix.Length..];
        await using var store = await openStore(cancellationToken);
        var group = await store.Groups.GetAsync(name, cancellationToken);
        if (group.Selector is not null)
        {
            var statuses = new StatusCollector(fleet, time);
            await statuses.StartAsync(connection, cancellationToken);
            await statuses.WaitForRetainedAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10), cancellationToken);
            await store.Inventory.SaveStatusesAsync([.. statuses.Statuses.Values], time.GetUtcNow(), cancellationToken);
        }

        var inventory = (await store.Inventory.LoadAsync(cancellationToken)).Where(d => d.Fleet == fleet).ToArray();
        var members = GroupStore.Resolve(group, inventory, fleet).Select(d => d.Device).ToList();
        return members.Count > 0 ? members : throw new CaptureException($"group '{name}' has no members in fleet {fleet}; nothing to do.");
    }
}
