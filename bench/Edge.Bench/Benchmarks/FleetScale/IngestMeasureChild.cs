using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Bench.Harness;

namespace Edge.Bench.Benchmarks.FleetScale;

/// <summary>
/// The measuring side of an ingest case, in its own process. Reads the schedule the simulator wrote; polls the probe
/// devices' rows every 100 ms (<see cref="IngestProbe"/>) and takes the lag of each probe record published inside
/// the window as (start of the poll that first saw it) − (its sample time, taken just before its publish); counts
/// rows at the window's start and end; reads CPU seconds of the serve processes, Mosquitto and PostgreSQL and of the
/// whole machine over the window from /proc; after the simulator stops, waits for the store to drain (it holds
/// everything acknowledged, or nothing changed for 20 s, at most 90 s) and counts lost and duplicated records.
/// </summary>
internal static class IngestMeasureChild
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static async Task<JsonObject> RunAsync(string directory, string store, int[] servePids, int brokerPid, int postgresPid, int devices, int probeEvery)
    {
        var schedule = (await IngestSimulatorChild.WaitForFileAsync(Path.Combine(directory, "schedule"), TimeSpan.FromMinutes(10)))
            .Split(' ').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var (start, windowStart, windowEnd) = (schedule[0], schedule[1], schedule[2]);
        var windowSeconds = (windowEnd - windowStart) / 1000.0;
        var probes = Enumerable.Range(0, devices).Where(i => i % probeEvery == 0).Select(LightFleetSimulator.DeviceId).ToArray();
        await using var probe = await IngestProbe.OpenAsync(store, probes);
        await using var counter = await IngestProbe.OpenAsync(store, []);

        var lags = new List<double>();
        var pollTimes = new List<double>();
        using var stopPolling = new CancellationTokenSource();
        await IngestSimulatorChild.DelayUntilAsync(start);
        var polling = Task.Run(async () =>
        {
            while (!stopPolling.IsCancellationRequested)
            {
                var began = TimeProvider.System.GetUtcNow();
                var watch = Stopwatch.StartNew();
                foreach (var (_, _, at) in await probe.PollAsync())
                {
                    var atMs = at.ToUnixTimeMilliseconds();
                    if (atMs >= windowStart && atMs < windowEnd)
                    {
                        lags.Add((began - at).TotalMilliseconds);
                    }
                }

                pollTimes.Add(watch.Elapsed.TotalMilliseconds);
                var rest = PollInterval - watch.Elapsed;
                if (rest > TimeSpan.Zero)
                {
                    await Task.Delay(rest);
                }
            }
        });

        await IngestSimulatorChild.DelayUntilAsync(windowStart);
        var before = await SnapshotAsync(counter, servePids, brokerPid, postgresPid);
        await IngestSimulatorChild.DelayUntilAsync(windowEnd);
        var after = await SnapshotAsync(counter, servePids, brokerPid, postgresPid);

        var published = long.Parse(await IngestSimulatorChild.WaitForFileAsync(Path.Combine(directory, "published"), TimeSpan.FromMinutes(5)), CultureInfo.InvariantCulture);
        var drain = Stopwatch.StartNew();
        var lastChange = Stopwatch.StartNew();
        var stored = await counter.CountAsync();
        while (stored < published && lastChange.Elapsed < TimeSpan.FromSeconds(20) && drain.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(1000);
            var now = await counter.CountAsync();
            if (now != stored)
            {
                lastChange.Restart();
            }

            stored = now;
        }

        var drainSeconds = drain.Elapsed.TotalSeconds - (stored < published ? lastChange.Elapsed.TotalSeconds : 0);
        await Task.Delay(PollInterval * 3);
        await stopPolling.CancelAsync();
        await polling;
        var (rows, distinct) = await counter.CountDistinctAsync();
        var sortedLags = lags.Order().ToArray();
        var serves = new JsonArray();
        for (var i = 0; i < servePids.Length; i++)
        {
            var cpu = after.Serve[i] - before.Serve[i];
            serves.Add(new JsonObject
            {
                ["pid"] = servePids[i],
                ["cpu_s_in_window"] = Math.Round(cpu, 2),
                ["cpu_percent_of_one_core_in_window"] = Math.Round(cpu / windowSeconds * 100, 1),
                ["cpu_s_total"] = Math.Round(ProcFigures.CpuSeconds(servePids[i]), 2),
                ["peak_rss_mib"] = ProcFigures.PeakRssMib(servePids[i]),
            });
        }

        return new JsonObject
        {
            ["window_s"] = windowSeconds,
            ["rows_stored_per_s_in_window"] = Math.Round((after.Rows - before.Rows) / windowSeconds, 1),
            ["published_acked"] = published,
            ["rows_stored"] = rows,
            ["distinct_device_seq_stored"] = distinct,
            ["records_lost"] = published - distinct,
            ["records_duplicated"] = rows - distinct,
            ["drain_after_window_s"] = Math.Round(drainSeconds, 1),
            ["ingest_lag_ms"] = new JsonObject
            {
                ["method"] = $"poll every {PollInterval.TotalMilliseconds:F0} ms of {probes.Length} probe devices (every {probeEvery}th); lag = poll start - sample time set just before publish",
                ["samples"] = sortedLags.Length,
                ["samples_expected"] = (long)(probes.Length * windowSeconds),
                ["p50"] = Round(Measure.Percentile(sortedLags, 0.50)),
                ["p95"] = Round(Measure.Percentile(sortedLags, 0.95)),
                ["p99"] = Round(Measure.Percentile(sortedLags, 0.99)),
                ["max"] = sortedLags.Length == 0 ? null : Round(sortedLags[^1]),
                ["poll_query_ms_p50"] = Round(Measure.Percentile([.. pollTimes.Order()], 0.50)),
                ["poll_query_ms_p95"] = Round(Measure.Percentile([.. pollTimes.Order()], 0.95)),
            },
            ["serve"] = serves,
            ["mosquitto_cpu_percent_of_one_core_in_window"] = Math.Round((after.Broker - before.Broker) / windowSeconds * 100, 1),
            ["postgres_cpu_percent_of_one_core_in_window"] = postgresPid == 0 ? null : Math.Round((after.Postgres - before.Postgres) / windowSeconds * 100, 1),
            ["machine_busy_percent_in_window"] = Math.Round(100.0 * (after.Machine.Busy - before.Machine.Busy) / Math.Max(1, after.Machine.Total - before.Machine.Total), 1),
        };
    }

    private static double Round(double value) => double.IsNaN(value) ? value : Math.Round(value, 1);

    private static async Task<Snapshot> SnapshotAsync(IngestProbe counter, int[] servePids, int brokerPid, int postgresPid)
    {
        var machine = ProcFigures.MachineJiffies();
        var serve = servePids.Select(p => ProcFigures.CpuSeconds(p)).ToArray();
        var broker = ProcFigures.CpuSeconds(brokerPid);
        var postgres = postgresPid == 0 ? 0 : ProcFigures.CpuSeconds(postgresPid, withChildren: true);
        var rows = await counter.CountAsync();
        return new Snapshot(rows, serve, broker, postgres, machine);
    }

    private sealed record Snapshot(long Rows, double[] Serve, double Broker, double Postgres, (long Busy, long Total) Machine);
}
