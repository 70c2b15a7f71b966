using Edge.Fleet.Storage;
using Edge.Fleet.Tests.Simulation;

namespace Edge.Fleet.Tests.Serving;

/// <summary>Compares what a fleet's agents handed to the broker with the telemetry rows a store holds.</summary>
internal static class StoredTelemetry
{
    /// <summary>
    /// Stops every agent and returns, per device, the last seq its outbox handed to the broker and the last it wrote
    /// (the ones between were pending at the stop, see <see cref="AgentOutbox.RecordsAsync"/>).
    /// </summary>
    public static async Task<Dictionary<string, (long Delivered, long Written)>> StopAgentsAsync(SimulatedFleet fleet)
    {
        var expected = new Dictionary<string, (long Delivered, long Written)>(StringComparer.Ordinal);
        foreach (var device in fleet.Devices)
        {
            await device.StopAgentAsync();
            expected[device.Id] = await AgentOutbox.RecordsAsync(device.OutboxPath);
        }

        return expected;
    }

    /// <summary>
    /// Waits until the store holds a row for every delivered (device, seq), then asserts there is exactly one of each
    /// (the simulated agents report one model, so one row per record), no duplicate of anything, and nothing the agent
    /// did not write: a record still pending at the stop may be stored once or not yet. Returns the rows stored.
    /// </summary>
    public static async Task<int> AssertExactlyOnceAsync(IFleetStore store, IReadOnlyDictionary<string, (long Delivered, long Written)> expected, TimeSpan timeout)
    {
        var wanted = expected.Sum(e => e.Value.Delivered);
        Assert.True(expected.Values.All(e => e.Delivered > 10), $"too few records were produced: {string.Join(", ", expected)}");
        List<(string Device, long Seq)> rows = [];
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var since = TimeProvider.System.GetUtcNow().AddHours(-1);
            rows = [.. (await store.Telemetry.QueryAsync(since, null, CancellationToken.None)).Select(r => (r.Device, r.Seq))];
            if (rows.Distinct().Count() >= wanted || TimeProvider.System.GetElapsedTime(started) > timeout)
            {
                break;
            }

            await Task.Delay(200);
        }

        foreach (var (device, (last, written)) in expected)
        {
            var seqs = rows.Where(r => r.Device == device).Select(r => r.Seq).ToList();
            var missing = Enumerable.Range(1, (int)last).Select(i => (long)i).Except(seqs).ToList();
            Assert.True(missing.Count == 0, $"{device}: {missing.Count} of {last} records lost (first: {string.Join(", ", missing.Take(10))})");
            Assert.Equal(seqs.Count, seqs.Distinct().Count());
            Assert.All(seqs, seq => Assert.InRange(seq, 1, written));
        }

        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.True(rows.Count >= wanted, $"{rows.Count} rows for {wanted} delivered records");
        return rows.Count;
    }
}
