using System.Globalization;
using System.Reflection;
using Npgsql;

namespace Edge.Fleet.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema as numbered scripts embedded from <c>Storage/Postgres/Migrations/NNNN_name.sql</c>. At open,
/// the scripts newer than the database's <c>schema_migrations</c> run in one transaction under an advisory lock, so
/// instances starting together apply each script once; a database with a version beyond the newest script is refused.
/// </summary>
internal static class PostgresMigrations
{
    private const string ResourcePrefix = "Edge.Fleet.Storage.Postgres.Migrations.";

    /// <summary>The embedded scripts by version, oldest first.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = Load();

    /// <summary>The newest schema version this edge-fleet knows.</summary>
    public static int LatestVersion => Scripts[^1].Version;

    /// <summary>Applies the scripts the database lacks; returns how many ran.</summary>
    /// <exception cref="InvalidDataException">The database has a schema version newer than <see cref="LatestVersion"/>.</exception>
    public static async Task<int> ApplyAsync(NpgsqlConnection connection, string description, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresDatabase.ExecuteAsync(connection, AdvisoryLocks.Take(AdvisoryLocks.Migrations), transaction, cancellationToken);
        await PostgresDatabase.ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied timestamptz NOT NULL
            )
            """, transaction, cancellationToken);
        var current = Convert.ToInt32(
            await PostgresDatabase.ScalarAsync(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", transaction, cancellationToken),
            CultureInfo.InvariantCulture);
        if (current > LatestVersion)
        {
            throw new InvalidDataException(
                $"The PostgreSQL database {description} has schema version {current}; this edge-fleet understands up to {LatestVersion}. Use a newer edge-fleet.");
        }

        var applied = 0;
        foreach (var (version, name, sql) in Scripts.Where(s => s.Version > current))
        {
            await PostgresDatabase.ExecuteAsync(connection, sql, transaction, cancellationToken);
            await PostgresDatabase.ExecuteAsync(connection, "INSERT INTO schema_migrations(version, name, applied) VALUES (@v, @n, @a)", transaction, cancellationToken,
                ("v", version), ("n", name), ("a", time.GetUtcNow()));
            applied++;
        }

        await transaction.CommitAsync(cancellationToken);
        return applied;
    }

    private static List<(int Version, string Name, string Sql)> Load()
    {
        var assembly = typeof(PostgresMigrations).Assembly;
        var scripts = new List<(int Version, string Name, string Sql)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..^".sql".Length];
            var underscore = name.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(name.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration '{resource}' must be named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add((version, name, reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        return scripts.Count > 0 ? scripts : throw new InvalidOperationException("No PostgreSQL migrations are embedded in Edge.Fleet.");
    }
}
