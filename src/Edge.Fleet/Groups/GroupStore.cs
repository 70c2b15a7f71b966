using System.Text.RegularExpressions;
using Edge.Fleet.Inventory;

namespace Edge.Fleet.Groups;

/// <summary>
/// Groups in the state store: add (validated), list, get, remove, and resolve to devices. Implemented over SQLite
/// (<see cref="SqliteGroupStore"/>) and PostgreSQL (<see cref="PostgresGroupStore"/>); owned by the
/// <see cref="Storage.IFleetStore"/> that made it.
/// </summary>
internal abstract partial class GroupStore
{
    private readonly TimeProvider _time;

    protected GroupStore(TimeProvider time) => _time = time;

    /// <summary>Adds a group; the name must be new, and a selector or a device list (or both) must be given.</summary>
    /// <exception cref="ArgumentException">Every problem with the definition, listed at once.</exception>
    public async Task<GroupDefinition> AddAsync(string name, string? selector, IReadOnlyList<string> devices, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (!NamePattern().IsMatch(name))
        {
            errors.Add($"group name '{name}' must be 1-64 letters, digits, '-', '_' or '.'");
        }

        if (selector is null && devices.Count == 0)
        {
            errors.Add("give --selector (e.g. board=jetson-orin-nano,site=lobby) or --devices d1,d2 (or both)");
        }

        if (selector is not null)
        {
            try
            {
                GroupSelector.Parse(selector);
            }
            catch (FormatException e)
            {
                errors.Add(e.Message);
            }
        }

        var badDevices = devices.Where(d => !DeviceIdPattern().IsMatch(d)).ToArray();
        if (badDevices.Length > 0)
        {
            errors.Add($"device ids must be 1-64 letters, digits, '-' or '_': {string.Join(", ", badDevices.Select(d => $"'{d}'"))}");
        }

        var duplicates = devices.GroupBy(d => d, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (duplicates.Length > 0)
        {
            errors.Add($"devices listed twice: {string.Join(", ", duplicates)}");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"Cannot add group '{name}': {string.Join("; ", errors)}.");
        }

        var group = new GroupDefinition(name, selector, devices, _time.GetUtcNow());
        await InsertAsync(group, cancellationToken);
        return group;
    }

    public abstract Task<IReadOnlyList<GroupDefinition>> ListAsync(CancellationToken cancellationToken);

    /// <exception cref="UnknownGroupException">No group has that name.</exception>
    public async Task<GroupDefinition> GetAsync(string name, CancellationToken cancellationToken)
    {
        var groups = await ListAsync(cancellationToken);
        return groups.FirstOrDefault(g => g.Name == name) ?? throw new UnknownGroupException(name, groups.Select(g => g.Name).ToArray());
    }

    /// <summary>Removes a group; refused while an unfinished deployment targets it.</summary>
    /// <exception cref="UnknownGroupException">No group has that name.</exception>
    public async Task RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await GetAsync(name, cancellationToken);
        await DeleteAsync(name, cancellationToken);
    }

    /// <summary>
    /// The group's devices: inventory devices matching the selector, plus listed devices (a listed device the
    /// inventory has never seen is included as offline with no facts, so a deployment still counts and reports it).
    /// </summary>
    public static IReadOnlyList<DeviceRecord> Resolve(GroupDefinition group, IReadOnlyList<DeviceRecord> inventory, string fleet)
    {
        var selector = group.Selector is null ? null : GroupSelector.Parse(group.Selector);
        var byId = inventory.ToDictionary(d => d.Device, StringComparer.Ordinal);
        var result = new List<DeviceRecord>();
        var included = new HashSet<string>(StringComparer.Ordinal);
        foreach (var device in inventory)
        {
            if (selector?.Matches(device) == true && included.Add(device.Device))
            {
                result.Add(device);
            }
        }

        foreach (var id in group.Devices)
        {
            if (included.Add(id))
            {
                result.Add(byId.TryGetValue(id, out var known) ? known : new DeviceRecord { Fleet = fleet, Device = id, Online = false, Reason = "never seen" });
            }
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Device, b.Device));
        return result;
    }

    /// <summary>Stores a validated group with its listed devices in one transaction.</summary>
    /// <exception cref="ArgumentException">A group with that name exists (<see cref="NameTaken"/>).</exception>
    protected abstract Task InsertAsync(GroupDefinition group, CancellationToken cancellationToken);

    /// <summary>Deletes a group unless a pending or running deployment targets it (<see cref="StillDeploying"/>).</summary>
    protected abstract Task DeleteAsync(string name, CancellationToken cancellationToken);

    protected static ArgumentException NameTaken(string name) =>
        new($"Cannot add group '{name}': a group with that name exists; remove it first with 'dotnet edge-fleet groups remove {name}'.");

    protected static ArgumentException StillDeploying(string name, string deployment) =>
        new($"Cannot remove group '{name}': deployment {deployment} is still running on it.");

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex DeviceIdPattern();
}
