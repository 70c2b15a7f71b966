using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Bench.Harness;

namespace Edge.Bench.Benchmarks;

/// <summary>Time from starting the edge-agent process to its first published message (the birth status) at a subscriber.</summary>
internal sealed class AgentStartupBenchmark : IBenchmark
{
    public string Name => "agent-startup";

    public string Description => "edge-agent process start to first published message (birth status) at a subscriber, AOT vs JIT";

    public async Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        if (await AgentBenchSupport.PublishAotAsync(cancellationToken) is { } failure)
        {
            return new JsonObject { ["error"] = failure };
        }

        var runs = context.Quick ? "3" : "10";
        var aot = await context.RunChildAsync(this, [AgentBenchSupport.AotExecutable, runs], cancellationToken);
        var jit = await context.RunChildAsync(this, [Path.Combine(AppContext.BaseDirectory, "edge-agent"), runs], cancellationToken);
        return new JsonObject
        {
            ["aot"] = aot,
            ["jit"] = jit,
            ["jit_over_aot_p50"] = Math.Round(jit["p50_ms"]!.GetValue<double>() / aot["p50_ms"]!.GetValue<double>(), 2),
        };
    }

    public JsonObject RunChild(IReadOnlyList<string> arguments) => RunAsync(arguments).GetAwaiter().GetResult();

    private static async Task<JsonObject> RunAsync(IReadOnlyList<string> arguments)
    {
        var executable = arguments[0];
        var runs = int.Parse(arguments[1], CultureInfo.InvariantCulture);
        await using var broker = await AgentBenchSupport.StartBrokerAsync();
        var samples = new List<double>();
        for (var run = -1; run < runs; run++) // run -1 is the warm-up (page cache, broker)
        {
            var directory = AgentBenchSupport.TempDirectory("startup");
            var device = "start" + Guid.NewGuid().ToString("N")[..8];
            await using var subscriber = await AgentBenchSupport.Subscriber.StartAsync(broker.Port, $"edge/bench/{device}/status");
            var started = Stopwatch.GetTimestamp();
            var agent = AgentBenchSupport.StartAgent(executable, device, broker.Port, Path.Combine(directory, "outbox.db"));
            try
            {
                await subscriber.WaitForRecordsAsync(1, TimeSpan.FromSeconds(30));
                var elapsed = Stopwatch.GetElapsedTime(started, subscriber.Arrivals.First().Timestamp).TotalMilliseconds;
                if (run >= 0)
                {
                    samples.Add(elapsed);
                }
            }
            finally
            {
                AgentBenchSupport.Stop(agent);
                Directory.Delete(directory, recursive: true);
            }
        }

        var summary = Measure.Summarize([.. samples]);
        summary["executable"] = Path.GetFileName(executable);
        return summary;
    }
}
