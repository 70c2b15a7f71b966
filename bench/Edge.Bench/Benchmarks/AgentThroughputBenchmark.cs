using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Edge.Bench.Harness;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// Telemetry throughput: the AOT agent draining a prefilled outbox to Mosquitto, against <c>mosquitto_pub --repeat N</c>
/// (QoS 1, same payload size) on the same broker, side by side in one child. Each rate is measured at one subscriber
/// from first to last arrival. Reported per MQTT message (agent batch size 1) and per record (batch size 50).
/// </summary>
internal sealed class AgentThroughputBenchmark : IBenchmark
{
    private const int PayloadBytes = 200;

    public string Name => "agent-throughput";

    public string Description => "edge-agent (AOT) outbox drain rate vs mosquitto_pub --repeat N, QoS 1, 200-byte records, same broker";

    public async Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        if (await AgentBenchSupport.PublishAotAsync(cancellationToken) is { } failure)
        {
            return new JsonObject { ["error"] = failure };
        }

        return await context.RunChildAsync(this, [context.Quick ? "5000" : "20000", context.Quick ? "1" : "3"], cancellationToken);
    }

    public JsonObject RunChild(IReadOnlyList<string> arguments) => RunAsync(arguments).GetAwaiter().GetResult();

    private static async Task<JsonObject> RunAsync(IReadOnlyList<string> arguments)
    {
        var count = int.Parse(arguments[0], CultureInfo.InvariantCulture);
        var runs = int.Parse(arguments[1], CultureInfo.InvariantCulture);
        await using var broker = await AgentBenchSupport.StartBrokerAsync();

        // Warm-up of each path with a small run, then alternate measured runs so drift hits both sides alike.
        await MosquittoPubAsync(broker.Port, 1000);
        await AgentAsync(broker.Port, 1000, 1);
        var baseline = new List<double>();
        var agentMessages = new List<double>();
        var agentRecords = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            baseline.Add(await MosquittoPubAsync(broker.Port, count));
            agentMessages.Add(await AgentAsync(broker.Port, count, 1));
            agentRecords.Add(await AgentAsync(broker.Port, count, 50));
        }

        var baselineRate = Median(baseline);
        return new JsonObject
        {
            ["messages"] = count,
            ["payload_bytes"] = PayloadBytes,
            ["runs"] = runs,
            ["mosquitto_pub_messages_per_s"] = Math.Round(baselineRate),
            ["agent_batch1_messages_per_s"] = Math.Round(Median(agentMessages)),
            ["agent_batch50_records_per_s"] = Math.Round(Median(agentRecords)),
            ["agent_batch1_over_mosquitto_pub"] = Math.Round(Median(agentMessages) / baselineRate, 3),
            ["agent_batch50_records_over_mosquitto_pub"] = Math.Round(Median(agentRecords) / baselineRate, 3),
        };
    }

    private static async Task<double> MosquittoPubAsync(int port, int count)
    {
        await using var subscriber = await AgentBenchSupport.Subscriber.StartAsync(port, "edge/bench/pub/telemetry");
        var start = new ProcessStartInfo("mosquitto_pub") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-q", "1", "-t", "edge/bench/pub/telemetry",
            "-m", Encoding.UTF8.GetString(AgentBenchSupport.Payload(PayloadBytes)), "--repeat", count.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        await subscriber.WaitForRecordsAsync(count, TimeSpan.FromSeconds(120));
        return (count - 1) / subscriber.SpanSeconds();
    }

    private static async Task<double> AgentAsync(int port, int count, int batchSize)
    {
        var directory = AgentBenchSupport.TempDirectory("throughput");
        var device = "tp" + batchSize.ToString(CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..6];
        try
        {
            var outbox = Path.Combine(directory, "outbox.db");
            await AgentBenchSupport.PrefillAsync(outbox, count, PayloadBytes);
            await using var subscriber = await AgentBenchSupport.Subscriber.StartAsync(port, $"edge/bench/{device}/telemetry");
            var agent = AgentBenchSupport.StartAgent(AgentBenchSupport.AotExecutable, device, port, outbox,
                $"--Telemetry:BatchSize={batchSize}", "--Telemetry:Interval=01:00:00");
            try
            {
                await subscriber.WaitForRecordsAsync(count, TimeSpan.FromSeconds(120));
                var arrivals = subscriber.Arrivals.ToArray();
                var span = Stopwatch.GetElapsedTime(arrivals[0].Timestamp, arrivals[^1].Timestamp).TotalSeconds;
                return (count - arrivals[0].Records) / span;
            }
            finally
            {
                AgentBenchSupport.Stop(agent);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
