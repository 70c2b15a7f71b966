using Edge.Fleet.Storage.Sqlite;

namespace Edge.Fleet.Groups;

/// <summary>Groups in the SQLite state file.</summary>
internal sealed class SqliteGroupStore : GroupStore
{
    private readonly FleetDatabase _database;

    public SqliteGroupStore(FleetDatabase database, TimeProvider time)
        : base(time) => _database = database;

    public override Task<IReadOnlyList<GroupDefinition>> ListAsync(CancellationToken cancellationToken) =>
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

    protected override Task InsertAsync(GroupDefinition group, CancellationToken cancellationToken) =>
        _database.InTransactionAsync((connection, transaction) =>
        {
            if (FleetDatabase.Scalar(connection, "SELECT 1 FROM groups WHERE name = $n", transaction, ("$n", group.Name)) is not null)
            {
                throw NameTaken(group.Name);
            }

            FleetDatabase.Execute(connection, "INSERT INTO groups(name, selector, created) VALUES ($n, $s, $c)", transaction,
                ("$n", group.Name), ("$s", group.Selector), ("$c", StoredTime.ToText(group.Created)));
            foreach (var device in group.Devices)
            {
                FleetDatabase.Execute(connection, "INSERT INTO group_members(group_name, device) VALUES ($n, $d)", transaction, ("$n", group.Name), ("$d", device));
            }

            return 0;
        }, cancellationToken);

    protected override Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        _database.InTransactionAsync((connection, transaction) =>
        {
            var active = FleetDatabase.Scalar(connection, "SELECT id FROM deployments WHERE group_name = $n AND state IN ('pending', 'running') LIMIT 1", transaction, ("$n", name));
            if (active is string deployment)
            {
                throw StillDeploying(name, deployment);
            }

            return FleetDatabase.Execute(connection, "DELETE FROM groups WHERE name = $n", transaction, ("$n", name));
        }, cancellationToken);
}
