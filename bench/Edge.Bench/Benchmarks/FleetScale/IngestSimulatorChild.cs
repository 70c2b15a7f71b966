using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Edge.Bench.Benchmarks.FleetScale;

/// <summary>
/// The device side of an ingest case, in its own process: connects the <see cref="LightFleetSimulator"/>, publishes
/// the retained statuses, writes <c>ready</c> and then <c>schedule</c> (start, window start and window end as Unix
/// milliseconds), publishes telemetry from start to window end, and writes <c>published</c> (the acknowledged total).
/// </summary>
internal static class IngestSimulatorChild
{
    public static async Task<JsonObject> RunAsync(string directory, int port, int devices, int warmupSeconds, int windowSeconds, int connections)
    {
        await using var simulator = new LightFleetSimulator("bench", devices, connections);
        var setup = Stopwatch.StartNew();
        await simulator.ConnectAsync("127.0.0.1", port, CancellationToken.None);
        await simulator.PublishStatusesAsync(CancellationToken.None);
        var setupSeconds = setup.Elapsed.TotalSeconds;
        await File.WriteAllTextAsync(Path.Combine(directory, "ready"), "ready");

        var start = NowMs() + 1000;
        var windowStart = start + (warmupSeconds * 1000L);
        var windowEnd = windowStart + (windowSeconds * 1000L);
        await File.WriteAllTextAsync(Path.Combine(directory, "schedule"), string.Create(CultureInfo.InvariantCulture, $"{start} {windowStart} {windowEnd}"));
        await DelayUntilAsync(start);
        var until = Stopwatch.GetTimestamp() + (long)((windowEnd - NowMs()) / 1000.0 * Stopwatch.Frequency);
        var run = simulator.RunTelemetryAsync(until, CancellationToken.None);

        await DelayUntilAsync(windowStart);
        var ackedStart = simulator.Acked;
        var cpuStart = ProcFigures.CpuSeconds(Environment.ProcessId);
        await DelayUntilAsync(windowEnd);
        var ackedEnd = simulator.Acked;
        var cpuEnd = ProcFigures.CpuSeconds(Environment.ProcessId);
        await run;
        await File.WriteAllTextAsync(Path.Combine(directory, "published"), simulator.Acked.ToString(CultureInfo.InvariantCulture));

        var peak = ProcFigures.PeakRssMib(Environment.ProcessId);
        return new JsonObject
        {
            ["devices"] = devices,
            ["mqtt_connections"] = connections,
            ["setup_s"] = Math.Round(setupSeconds, 1),
            ["offered_msgs_per_s_target"] = devices,
            ["achieved_msgs_per_s_in_window"] = Math.Round((ackedEnd - ackedStart) / (double)windowSeconds, 1),
            ["published_acked_total"] = simulator.Acked,
            ["publish_failed_total"] = simulator.Failed,
            ["cpu_s_in_window"] = Math.Round(cpuEnd - cpuStart, 2),
            ["cpu_percent_of_one_core_in_window"] = Math.Round((cpuEnd - cpuStart) / windowSeconds * 100, 1),
            ["peak_rss_mib"] = peak,
            ["peak_rss_per_device_kib"] = Math.Round(peak * 1024 / devices, 2),
        };
    }

    public static long NowMs() => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();

    public static async Task DelayUntilAsync(long unixMs)
    {
        var wait = unixMs - NowMs();
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(wait));
        }
    }

    public static async Task<string> WaitForFileAsync(string path, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"{path} did not appear within {timeout.TotalSeconds} s.");
            }

            await Task.Delay(50);
        }

        await Task.Delay(50); // written in one call; give the writer time to finish
        return await File.ReadAllTextAsync(path);
    }
}
