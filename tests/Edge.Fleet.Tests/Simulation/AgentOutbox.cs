using Microsoft.Data.Sqlite;

namespace Edge.Fleet.Tests.Simulation;

/// <summary>Reads a stopped agent's outbox, whose ids are the telemetry <c>seq</c> numbers.</summary>
internal static class AgentOutbox
{
    /// <summary>The highest seq the agent's outbox handed to the broker: its last id, less any records still pending.</summary>
    public static async Task<long> DeliveredThroughAsync(string outbox) => (await RecordsAsync(outbox)).DeliveredThrough;

    /// <summary>
    /// The highest seq handed to the broker, and the highest seq the agent wrote at all. Records between the two were
    /// still pending when the agent stopped: one may have reached the broker with its acknowledgement lost, so a store
    /// may hold it (the agent sends it again after a restart, and the seq de-duplicates it).
    /// </summary>
    public static async Task<(long DeliveredThrough, long WrittenThrough)> RecordsAsync(string outbox)
    {
        await using var connection = new SqliteConnection($"Data Source={outbox};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), (SELECT MIN(id) FROM outbox)";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var last = reader.GetInt64(0);
        return (reader.IsDBNull(1) ? last : reader.GetInt64(1) - 1, last);
    }
}
