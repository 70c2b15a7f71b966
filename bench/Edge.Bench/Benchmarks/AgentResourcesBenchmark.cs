using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Bench.Harness;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// Resident memory of the Native AOT edge-agent at idle and while sending 10 msg/s (target ≤ 20 MB), the same
/// agent run by the JIT (<c>dotnet edge-agent.dll</c>) for comparison, and CPU use at 1 msg/s. The AOT agent at 10 msg/s
/// also runs with <c>--Memory:TrimFileMappings=false</c>, side by side, to show what trimming its file mappings saves.
/// </summary>
internal sealed class AgentResourcesBenchmark : IBenchmark
{
    public string Name => "agent-resources";

    public string Description => "edge-agent RSS idle and at 10 msg/s (AOT vs JIT), CPU % at 1 msg/s, against Mosquitto";

    public async Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        if (await AgentBenchSupport.PublishAotAsync(cancellationToken) is { } failure)
        {
            return new JsonObject { ["error"] = failure };
        }

        var seconds = context.Quick ? "8" : "30";
        var jit = Path.Combine(AppContext.BaseDirectory, "edge-agent");
        var results = new JsonObject
        {
            ["load_average_at_start"] = File.ReadAllText("/proc/loadavg").Trim(),
            ["aot_binary_bytes"] = new FileInfo(AgentBenchSupport.AotExecutable).Length,
            ["aot_idle"] = await context.RunChildAsync(this, ["idle", AgentBenchSupport.AotExecutable, seconds], cancellationToken),
            ["aot_10_msg_per_s"] = await context.RunChildAsync(this, ["rate", AgentBenchSupport.AotExecutable, seconds, "100"], cancellationToken),
            ["aot_10_msg_per_s_untrimmed"] = await context.RunChildAsync(this, ["rate", AgentBenchSupport.AotExecutable, seconds, "100", "--Memory:TrimFileMappings=false"], cancellationToken),
            ["jit_idle"] = await context.RunChildAsync(this, ["idle", jit, seconds], cancellationToken),
            ["jit_10_msg_per_s"] = await context.RunChildAsync(this, ["rate", jit, seconds, "100"], cancellationToken),
            ["aot_1_msg_per_s"] = await context.RunChildAsync(this, ["rate", AgentBenchSupport.AotExecutable, seconds, "1000"], cancellationToken),
        };
        var aotRate = results["aot_10_msg_per_s"]!["rss_max_bytes"]!.GetValue<long>();
        results["aot_10_msg_per_s_rss_max_mib"] = Math.Round(aotRate / 1048576.0, 2);
        results["aot_10_msg_per_s_within_20_mib"] = aotRate <= 20L * 1024 * 1024;
        results["aot_10_msg_per_s_trimming_saves_mib"] = Math.Round(
            (results["aot_10_msg_per_s_untrimmed"]!["rss_max_bytes"]!.GetValue<long>() - aotRate) / 1048576.0, 2);
        results["jit_rss_over_aot_rss_at_10_msg_per_s"] = Math.Round(
            results["jit_10_msg_per_s"]!["rss_max_bytes"]!.GetValue<long>() / (double)aotRate, 2);
        return results;
    }

    public JsonObject RunChild(IReadOnlyList<string> arguments) => RunAsync(arguments).GetAwaiter().GetResult();

    private static async Task<JsonObject> RunAsync(IReadOnlyList<string> arguments)
    {
        var mode = arguments[0];
        var executable = arguments[1];
        var seconds = int.Parse(arguments[2], CultureInfo.InvariantCulture);
        var intervalMs = mode == "rate" ? int.Parse(arguments[3], CultureInfo.InvariantCulture) : 10_000;
        var extra = arguments.Skip(mode == "rate" ? 4 : 3).ToArray();
        var directory = AgentBenchSupport.TempDirectory("resources");
        await using var broker = await AgentBenchSupport.StartBrokerAsync();
        await using var subscriber = await AgentBenchSupport.Subscriber.StartAsync(broker.Port, "edge/bench/res/telemetry");
        var agent = AgentBenchSupport.StartAgent(executable, "res", broker.Port, Path.Combine(directory, "outbox.db"),
            [$"--Telemetry:Interval={TimeSpan.FromMilliseconds(intervalMs).ToString("c", CultureInfo.InvariantCulture)}", "--Telemetry:BatchSize=1", .. extra]);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5)); // warm-up: connect, first samples, first GCs
            var received = subscriber.Messages;
            var cpuStart = AgentBenchSupport.CpuTime(agent.Id);
            var watch = Stopwatch.StartNew();
            var samples = new List<long>();
            while (watch.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                samples.Add(AgentBenchSupport.ResidentBytes(agent.Id));
                await Task.Delay(500);
            }

            var cpu = AgentBenchSupport.CpuTime(agent.Id) - cpuStart;
            var breakdown = AgentMemoryBreakdown.Read(agent.Id, executable);
            var elapsed = watch.Elapsed.TotalSeconds;
            return new JsonObject
            {
                ["executable"] = executable == AgentBenchSupport.AotExecutable ? "aot" : "jit",
                ["arguments"] = string.Join(' ', extra),
                ["threads"] = AgentBenchSupport.ThreadCount(agent.Id),
                ["telemetry_interval_ms"] = intervalMs,
                ["measured_seconds"] = Math.Round(elapsed, 1),
                ["messages_per_second"] = Math.Round((subscriber.Messages - received) / elapsed, 2),
                ["rss_mean_bytes"] = (long)samples.Average(),
                ["rss_max_bytes"] = samples.Max(),
                ["peak_rss_bytes"] = AgentBenchSupport.PeakResidentBytes(agent.Id),
                ["cpu_percent_of_one_core"] = Math.Round(100 * cpu.TotalSeconds / elapsed, 3),
                ["rss_breakdown_at_end"] = breakdown,
            };
        }
        finally
        {
            AgentBenchSupport.Stop(agent);
            Directory.Delete(directory, recursive: true);
        }
    }
}
