using System.Text.RegularExpressions;
using Edge.Fleet.Inventory;
using Edge.Fleet.Storage;

namespace Edge.Fleet.Groups;

/// <summary>Groups in the state database: add (validated), list, get, remove, and resolve to devices.</summary>
internal sealed partial class GroupStore
{
    private readonly FleetDatabase _database;
    private readonly TimeProvider _time;

    public GroupStore(FleetDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

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

        var created = _time.GetUtcNow();
        await _database.InTransactionAsync((connection, transaction) =>
        {
            if (FleetDatabase.Scalar(connection, "SELECT 1 FROM groups WHERE name = $n", transaction, ("$n", name)) is not null)
            {
                throw new ArgumentException($"Cannot add group '{name}': a group with that name exists; remove it first with 'dotnet edge-fleet groups remove {name}'.");
            }

            FleetDatabase.Execute(connection, "INSERT INTO groups(name, selector, created) VALUES ($n, $s, $c)", transaction,
                ("$n", name), ("$s", selector), ("$c", StoredTime.ToText(created)));
            foreach (var device in devices)
            {
                FleetDatabase.Execute(connection, "INSERT INTO group_members(group_name, device) VALUES ($n, $d)", transaction, ("$n", name), ("$d", device));
            }

            return 0;
        }, cancellationToken);
        return new GroupDefinition(name, selector, devices, created);
    }

    public Task<IReadOnlyList<GroupDefinition>> ListAsync(CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<GroupDefinition>>(connection =>
        {
            var members = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            using (var command = FleetDatabase.Command(connection, "SELECT group_name, device FROM group_members ORDER BY rowid"))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var group = reader.GetString(0);
                    if (!members.TryGetValue(group, out var list))
                    {
                        members[group] = list = [];
                    }

                    list.Add(reader.GetString(1));
                }
            }

            var groups = new List<GroupDefinition>();
            using (var command = FleetDatabase.Command(connection, "SELECT name, selector, created FROM groups ORDER BY name"))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var name = reader.GetString(0);
                    groups.Add(new GroupDefinition(name, reader.IsDBNull(1) ? null : reader.GetString(1),
                        members.TryGetValue(name, out var list) ? list : [], StoredTime.FromText(reader.GetString(2))));
                }
            }

            return groups;
        }, cancellationToken);

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
        await _database.InTransactionAsync((connection, transaction) =>
        {
            var active = FleetDatabase.Scalar(connection, "SELECT id FROM deployments WHERE group_name = $n AND state IN ('pending', 'running') LIMIT 1", transaction, ("$n", name));
            if (active is string deployment)
            {
                throw new ArgumentException($"Cannot remove group '{name}': deployment {deployment} is still running on it.");
            }

            return FleetDatabase.Execute(connection, "DELETE FROM groups WHERE name = $n", transaction, ("$n", name));
        }, cancellationToken);
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

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex DeviceIdPattern();
}
