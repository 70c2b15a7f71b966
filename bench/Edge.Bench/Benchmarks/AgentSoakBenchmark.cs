using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Bench.Harness;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// Soak: the AOT agent sends 10 msg/s for a duration (default 600 s; <c>EDGE_BENCH_SOAK_SECONDS</c> overrides,
/// --quick uses 60 s) while its RSS is sampled every 5 s. No growth means the last minute's mean RSS is within a
/// few percent of the first minute's after warm-up.
/// </summary>
internal sealed class AgentSoakBenchmark : IBenchmark
{
    public string Name => "agent-soak";

    public string Description => "edge-agent (AOT) RSS over a long run at 10 msg/s: first vs last minute";

    public async Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        if (await AgentBenchSupport.PublishAotAsync(cancellationToken) is { } failure)
        {
            return new JsonObject { ["error"] = failure };
        }

        var seconds = Environment.GetEnvironmentVariable("EDGE_BENCH_SOAK_SECONDS") ?? (context.Quick ? "60" : "600");
        return await context.RunChildAsync(this, [seconds], cancellationToken);
    }

    public JsonObject RunChild(IReadOnlyList<string> arguments) => RunAsync(arguments).GetAwaiter().GetResult();

    private static async Task<JsonObject> RunAsync(IReadOnlyList<string> arguments)
    {
        var duration = TimeSpan.FromSeconds(int.Parse(arguments[0], CultureInfo.InvariantCulture));
        var window = TimeSpan.FromSeconds(Math.Min(60, duration.TotalSeconds / 4));
        var directory = AgentBenchSupport.TempDirectory("soak");
        await using var broker = await AgentBenchSupport.StartBrokerAsync();
        await using var subscriber = await AgentBenchSupport.Subscriber.StartAsync(broker.Port, "edge/bench/soak/telemetry");
        var agent = AgentBenchSupport.StartAgent(AgentBenchSupport.AotExecutable, "soak", broker.Port, Path.Combine(directory, "outbox.db"),
            "--Telemetry:Interval=00:00:00.1", "--Telemetry:BatchSize=1");
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(10)); // warm-up
            var samples = new List<(double Seconds, long Rss)>();
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < duration)
            {
                samples.Add((watch.Elapsed.TotalSeconds, AgentBenchSupport.ResidentBytes(agent.Id)));
                await Task.Delay(5000);
            }

            samples.Add((watch.Elapsed.TotalSeconds, AgentBenchSupport.ResidentBytes(agent.Id)));
            var first = samples.Where(s => s.Seconds <= window.TotalSeconds).Average(s => s.Rss);
            var last = samples.Where(s => s.Seconds >= duration.TotalSeconds - window.TotalSeconds).Average(s => s.Rss);
            return new JsonObject
            {
                ["duration_seconds"] = duration.TotalSeconds,
                ["window_seconds"] = window.TotalSeconds,
                ["messages_received"] = subscriber.Messages,
                ["rss_first_window_mean_bytes"] = (long)first,
                ["rss_last_window_mean_bytes"] = (long)last,
                ["rss_growth_bytes"] = (long)(last - first),
                ["rss_last_over_first"] = Math.Round(last / first, 4),
                ["rss_max_bytes"] = samples.Max(s => s.Rss),
                ["peak_rss_bytes"] = AgentBenchSupport.PeakResidentBytes(agent.Id),
                ["rss_samples_mb"] = new JsonArray([.. samples.Where((_, i) => i % 6 == 0).Select(s => (JsonNode)Math.Round(s.Rss / 1048576.0, 2))]),
            };
        }
        finally
        {
            AgentBenchSupport.Stop(agent);
            Directory.Delete(directory, recursive: true);
        }
    }
}
