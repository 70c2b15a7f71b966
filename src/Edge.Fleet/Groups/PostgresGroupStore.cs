using Edge.Fleet.Storage.Postgres;

namespace Edge.Fleet.Groups;

/// <summary>
/// Groups in PostgreSQL. A name is claimed by its insert (<c>ON CONFLICT DO NOTHING</c>), so two instances adding
/// the same group cannot both succeed; removal locks the group's row before checking for running deployments.
/// </summary>
internal sealed class PostgresGroupStore : GroupStore
{
    private readonly PostgresDatabase _database;

    public PostgresGroupStore(PostgresDatabase database, TimeProvider time)
        : base(time) => _database = database;

    public override Task<IReadOnlyList<GroupDefinition>> ListAsync(CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<GroupDefinition>>(async connection =>
        {
            var members = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            await using (var command = PostgresDatabase.Command(connection, "SELECT group_name, device FROM group_members ORDER BY group_name, position"))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
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
            await using (var command = PostgresDatabase.Command(connection, "SELECT name, selector, created FROM groups ORDER BY name COLLATE \"C\""))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var name = reader.GetString(0);
                    groups.Add(new GroupDefinition(name, reader.IsDBNull(1) ? null : reader.GetString(1),
                        members.TryGetValue(name, out var list) ? list : [], reader.GetFieldValue<DateTimeOffset>(2)));
                }
            }

            return groups;
        }, cancellationToken);

    protected override Task InsertAsync(GroupDefinition group, CancellationToken cancellationToken) =>
        _database.InTransactionAsync(async (connection, transaction) =>
        {
            var inserted = await PostgresDatabase.ExecuteAsync(connection, "INSERT INTO groups(name, selector, created) VALUES (@n, @s, @c) ON CONFLICT (name) DO NOTHING",
                transaction, cancellationToken, ("n", group.Name), ("s", group.Selector), ("c", group.Created));
            if (inserted == 0)
            {
                throw NameTaken(group.Name);
            }

            for (var position = 0; position < group.Devices.Count; position++)
            {
                await PostgresDatabase.ExecuteAsync(connection, "INSERT INTO group_members(group_name, device, position) VALUES (@n, @d, @p)", transaction, cancellationToken,
                    ("n", group.Name), ("d", group.Devices[position]), ("p", position));
            }

            return 0;
        }, cancellationToken);

    protected override Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        _database.InTransactionAsync(async (connection, transaction) =>
        {
            await PostgresDatabase.ExecuteAsync(connection, "SELECT 1 FROM groups WHERE name = @n FOR UPDATE", transaction, cancellationToken, ("n", name));
            var active = await PostgresDatabase.ScalarAsync(connection,
                "SELECT id FROM deployments WHERE group_name = @n AND state IN ('pending', 'running') ORDER BY id LIMIT 1", transaction, cancellationToken, ("n", name));
            if (active is string deployment)
            {
                throw StillDeploying(name, deployment);
            }

            return await PostgresDatabase.ExecuteAsync(connection, "DELETE FROM groups WHERE name = @n", transaction, cancellationToken, ("n", name));
        }, cancellationToken);
}
