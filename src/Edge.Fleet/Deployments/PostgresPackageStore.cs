using System.Data;
using System.Globalization;
using Edge.Fleet.Storage.Postgres;

namespace Edge.Fleet.Deployments;

/// <summary>Package copies in the <c>packages</c> table (one <c>bytea</c> row per SHA-256), streamed in and out.</summary>
internal sealed class PostgresPackageStore : PackageStore
{
    private readonly PostgresDatabase _database;
    private readonly TimeProvider _time;

    public PostgresPackageStore(PostgresDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    public override async Task SaveAsync(string sha256, string path, CancellationToken cancellationToken)
    {
        var size = new FileInfo(path).Length;
        if (size > MaxBytes)
        {
            throw new ArgumentException(
                $"Package '{path}' is {size.ToString(CultureInfo.InvariantCulture)} bytes; the PostgreSQL store keeps packages up to {MaxBytes.ToString(CultureInfo.InvariantCulture)} bytes.");
        }

        await _database.RunAsync(async connection =>
        {
            var known = await PostgresDatabase.ScalarAsync(connection, "SELECT 1 FROM packages WHERE sha256 = @sha", null, cancellationToken, ("sha", sha256));
            if (known is not null)
            {
                return 0;
            }

            await using var stream = File.OpenRead(path);
            return await PostgresDatabase.ExecuteAsync(connection,
                "INSERT INTO packages(sha256, size, data, stored) VALUES (@sha, @size, @data, @at) ON CONFLICT (sha256) DO NOTHING", null, cancellationToken,
                ("sha", sha256), ("size", size), ("data", stream), ("at", _time.GetUtcNow()));
        }, cancellationToken);
    }

    public override Task<bool> TryExtractAsync(string sha256, string destination, CancellationToken cancellationToken) =>
        _database.RunAsync(async connection =>
        {
            await using var command = PostgresDatabase.Command(connection, "SELECT data FROM packages WHERE sha256 = @sha", null, ("sha", sha256));
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return false;
            }

            var temporary = destination + ".partial";
            await using (var output = File.Create(temporary))
            await using (var data = await reader.GetStreamAsync(0, cancellationToken))
            {
                await data.CopyToAsync(output, cancellationToken);
            }

            File.Move(temporary, destination, overwrite: true);
            return true;
        }, cancellationToken);
}
