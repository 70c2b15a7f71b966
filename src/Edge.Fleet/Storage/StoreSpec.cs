using Edge.Fleet.Storage.Sqlite;
using Npgsql;

namespace Edge.Fleet.Storage;

/// <summary>
/// A parsed <c>--store</c> value: <c>sqlite:&lt;path&gt;</c> or <c>postgres:&lt;Npgsql connection string&gt;</c>.
/// <see cref="ToString"/> never shows a password.
/// </summary>
internal sealed record StoreSpec
{
    private const string SqlitePrefix = "sqlite:";
    private const string PostgresPrefix = "postgres:";
    private const string Expected = "expected sqlite:<path> (e.g. sqlite:/var/lib/edge-fleet/state.db) or postgres:<connection string> (e.g. postgres:Host=db;Database=fleet;Username=edge)";

    private StoreSpec(StoreKind kind, string target)
    {
        Kind = kind;
        Target = target;
    }

    public StoreKind Kind { get; }

    /// <summary>The SQLite file path, or the PostgreSQL connection string (which may hold a password).</summary>
    public string Target { get; }

    /// <summary>Names the store without secrets, and stably (it seeds fixed MQTT client ids): the SQLite file's full path, or <c>postgres://host:port/database</c>.</summary>
    public string Identity => Kind == StoreKind.Sqlite ? Path.GetFullPath(Target) : PostgresIdentity(new NpgsqlConnectionStringBuilder(Target));

    /// <summary>The default store: <c>sqlite:</c> at <see cref="FleetDatabase.DefaultPath"/>.</summary>
    public static StoreSpec Default => Sqlite(FleetDatabase.DefaultPath);

    public static StoreSpec Sqlite(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new StoreSpec(StoreKind.Sqlite, path);
    }

    /// <summary>Parses <paramref name="text"/>, which came from <paramref name="source"/> (an option or variable name, for the message).</summary>
    /// <exception cref="FormatException">Not a store spec, an empty path, or a connection string Npgsql does not accept.</exception>
    public static StoreSpec Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase))
        {
            var path = text[SqlitePrefix.Length..];
            return string.IsNullOrWhiteSpace(path)
                ? throw new FormatException($"{source} 'sqlite:' names no file; {Expected}.")
                : new StoreSpec(StoreKind.Sqlite, path);
        }

        if (text.StartsWith(PostgresPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var connectionString = text[PostgresPrefix.Length..];
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new FormatException($"{source} 'postgres:' has no connection string; {Expected}.");
            }

            try
            {
                var builder = new NpgsqlConnectionStringBuilder(connectionString);
                if (string.IsNullOrEmpty(builder.Host))
                {
                    throw new FormatException($"{source}: the PostgreSQL connection string names no Host; expected e.g. postgres:Host=db;Database=fleet;Username=edge.");
                }
            }
            catch (ArgumentException e)
            {
                // Npgsql's message names the bad keyword, never a value, so no password is shown.
                throw new FormatException($"{source}: the PostgreSQL connection string is not valid ({OneLine(e.Message)}); expected Npgsql keywords such as Host=db;Port=5432;Database=fleet;Username=edge.", e);
            }

            return new StoreSpec(StoreKind.Postgres, connectionString);
        }

        // A connection string without its prefix may hold a password: it is described, not shown.
        var shown = text.Contains('=', StringComparison.Ordinal) ? "(a connection string without 'postgres:')" : $"'{(text.Length > 60 ? text[..60] + "…" : text)}'";
        throw new FormatException($"{source} {shown} is not a store; {Expected}.");
    }

    public override string ToString() => Kind == StoreKind.Sqlite ? SqlitePrefix + Target : PostgresPrefix + Identity;

    internal static string PostgresIdentity(NpgsqlConnectionStringBuilder builder) =>
        $"postgres://{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username ?? "postgres"}";

    internal static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
