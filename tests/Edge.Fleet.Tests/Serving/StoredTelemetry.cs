using Edge.Fleet.Storage;
using Edge.Fleet.Tests.Simulation;

namespace Edge.Fleet.Tests.Serving;

/// <summary>Compares what a fleet's agents handed to the broker with the telemetry rows a store holds.</summary>
internal static class StoredTelemetry
{
    /// <summary>Stops every agent and returns, per device, the last seq its outbox handed to the broker.</summary>
    public static async Task<Dictionary<string, long>> StopAgentsAsync(SimulatedFleet fleet)
    {
        var expected = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var device in fleet.Devices)
        {
            await device.StopAgentAsync();
            expected[device.Id] = await AgentOutbox.DeliveredThroughAsync(device.OutboxPath);
        }

        return expected;
    }

    /// <summary>
    /// Waits until the store holds a row for every expected (device, seq), then asserts there is exactly one of each
    /// (the simulated agents report one model, so one row per record) and nothing else.
    /// </summary>
    public static async Task AssertExactlyOnceAsync(IFleetStore store, IReadOnlyDictionary<string, long> expected, TimeSpan timeout)
    {
        var wanted = expected.Sum(e => e.Value);
        Assert.True(expected.Values.All(last => last > 10), $"too few records were produced: {string.Join(", ", expected)}");
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

        foreach (var (device, last) in expected)
        {
            var seqs = rows.Where(r => r.Device == device).Select(r => r.Seq).ToList();
            var missing = Enumerable.Range(1, (int)last).Select(i => (long)i).Except(seqs).ToList();
            Assert.True(missing.Count == 0, $"{device}: {missing.Count} of {last} records lost (first: {string.Join(", ", missing.Take(10))})");
            Assert.Equal(seqs.Count, seqs.Distinct().Count());
            Assert.Equal(last, seqs.Count);
        }

        Assert.Equal(wanted, rows.Count);
    }
}
