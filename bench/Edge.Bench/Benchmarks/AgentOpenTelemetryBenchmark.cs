using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Bench.Harness;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// What OpenTelemetry export costs the Native AOT edge-agent at 10 msg/s: resident memory and CPU with export off
/// (the default: no provider is built), with OTLP/HTTP protobuf to a local endpoint every second, and with the
/// loopback Prometheus endpoint scraped every second. Each case runs in its own agent process, one after the other
/// on the same machine, against Mosquitto (docs/observability.md). With <c>EDGE_BENCH_BASELINE_AGENT</c> naming another
/// AOT edge-agent (one published from the commit before OpenTelemetry), that binary runs the export-off case too, so
/// what the added packages cost with export off is measured side by side.
/// </summary>
internal sealed class AgentOpenTelemetryBenchmark : IBenchmark
{
    public string Name => "agent-otel";

    public string Description => "edge-agent (AOT) RSS and CPU at 10 msg/s with OpenTelemetry export off, OTLP every 1 s, Prometheus scraped every 1 s";

    public async Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        if (await AgentBenchSupport.PublishAotAsync(cancellationToken) is { } failure)
        {
            return new JsonObject { ["error"] = failure };
        }

        var seconds = context.Quick ? "8" : "30";
        var aot = AgentBenchSupport.AotExecutable;
        var baseline = Environment.GetEnvironmentVariable("EDGE_BENCH_BASELINE_AGENT") is { Length: > 0 } path && File.Exists(path) ? path : null;
        var results = new JsonObject
        {
            ["load_average_at_start"] = File.ReadAllText("/proc/loadavg").Trim(),
            ["aot_binary_bytes"] = new FileInfo(aot).Length,
        };
        var cases = new List<string>();
        if (baseline is not null)
        {
            results["baseline_executable"] = baseline;
            results["baseline_binary_bytes"] = new FileInfo(baseline).Length;
            results["baseline_export_off"] = await context.RunChildAsync(this, ["off", seconds, baseline], cancellationToken);
            cases.Add("baseline_export_off");
        }

        results["export_off"] = await context.RunChildAsync(this, ["off", seconds, aot], cancellationToken);
        results["otlp_every_1_s"] = await context.RunChildAsync(this, ["otlp", seconds, aot], cancellationToken);
        results["prometheus_scraped_every_1_s"] = await context.RunChildAsync(this, ["prometheus", seconds, aot], cancellationToken);
        results["export_off_again"] = await context.RunChildAsync(this, ["off", seconds, aot], cancellationToken);
        cases.AddRange(["export_off", "otlp_every_1_s", "prometheus_scraped_every_1_s", "export_off_again"]);
        foreach (var name in cases)
        {
            results[name + "_rss_max_mib"] = Math.Round(results[name]!["rss_max_bytes"]!.GetValue<long>() / 1048576.0, 2);
        }

        return results;
    }

    public JsonObject RunChild(IReadOnlyList<string> arguments) => RunAsync(arguments).GetAwaiter().GetResult();

    private static async Task<JsonObject> RunAsync(IReadOnlyList<string> arguments)
    {
        var mode = arguments[0];
        var seconds = int.Parse(arguments[1], CultureInfo.InvariantCulture);
        var executable = arguments[2];
        var directory = AgentBenchSupport.TempDirectory("otel");
        await using var sink = new OtlpSink();
        var prometheusPort = Edge.TestUtilities.Mqtt.FreePort.Next();
        string[] export = mode switch
        {
            "otlp" => ["--OpenTelemetry:Enabled=true", $"--OpenTelemetry:Otlp:Endpoint={sink.Endpoint}", "--OpenTelemetry:MetricExportInterval=00:00:01"],
            "prometheus" => ["--OpenTelemetry:Enabled=true", "--OpenTelemetry:Otlp:Enabled=false", "--OpenTelemetry:Prometheus:Enabled=true", $"--OpenTelemetry:Prometheus:Port={prometheusPort}"],
            _ => [],
        };
        await using var broker = await AgentBenchSupport.StartBrokerAsync();
        await using var subscriber = await AgentBenchSupport.Subscriber.StartAsync(broker.Port, "edge/bench/otel/telemetry");
        var agent = AgentBenchSupport.StartAgent(executable, "otel", broker.Port, Path.Combine(directory, "outbox.db"),
            ["--Telemetry:Interval=00:00:00.1", "--Telemetry:BatchSize=1", .. export]);
        using var http = new HttpClient();
        long scrapes = 0, scrapeBytes = 0;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5)); // warm-up: connect, first samples, first exports, first GCs
            var received = subscriber.Messages;
            var metricsBefore = sink.For("/v1/metrics").Requests;
            var cpuStart = AgentBenchSupport.CpuTime(agent.Id);
            var watch = Stopwatch.StartNew();
            var samples = new List<long>();
            var nextScrape = TimeSpan.Zero;
            while (watch.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                if (mode == "prometheus" && watch.Elapsed >= nextScrape)
                {
                    scrapeBytes += (await http.GetByteArrayAsync(new Uri($"http://localhost:{prometheusPort}/metrics"))).Length;
                    scrapes++;
                    nextScrape += TimeSpan.FromSeconds(1);
                }

                samples.Add(AgentBenchSupport.ResidentBytes(agent.Id));
                await Task.Delay(500);
            }

            var cpu = AgentBenchSupport.CpuTime(agent.Id) - cpuStart;
            var elapsed = watch.Elapsed.TotalSeconds;
            var (metricRequests, metricBytes) = sink.For("/v1/metrics");
            return new JsonObject
            {
                ["mode"] = mode,
                ["executable"] = executable,
                ["arguments"] = string.Join(' ', export),
                ["threads"] = AgentBenchSupport.ThreadCount(agent.Id),
                ["measured_seconds"] = Math.Round(elapsed, 1),
                ["messages_per_second"] = Math.Round((subscriber.Messages - received) / elapsed, 2),
                ["otlp_metric_exports_during_measurement"] = metricRequests - metricsBefore,
                ["otlp_metric_bytes_total"] = metricBytes,
                ["prometheus_scrapes"] = scrapes,
                ["prometheus_bytes_per_scrape"] = scrapes == 0 ? 0 : scrapeBytes / scrapes,
                ["rss_mean_bytes"] = (long)samples.Average(),
                ["rss_max_bytes"] = samples.Max(),
                ["peak_rss_bytes"] = AgentBenchSupport.PeakResidentBytes(agent.Id),
                ["cpu_percent_of_one_core"] = Math.Round(100 * cpu.TotalSeconds / elapsed, 3),
                ["rss_breakdown_at_end"] = AgentMemoryBreakdown.Read(agent.Id, executable),
            };
        }
        finally
        {
            AgentBenchSupport.Stop(agent);
            Directory.Delete(directory, recursive: true);
        }
    }
}
