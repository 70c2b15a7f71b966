using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Bench.Harness;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// The agent's local HTTP server (docs/local-http.md): the inference endpoint's latency against an in-process
/// <c>ModelHost</c> call on the same model, interleaved (<see cref="LocalHttpLatency"/>), and the AOT agent's RSS with
/// the server off and on, side by side: without a model (health probes) and serving mnist (10 infer/s over HTTP). The
/// default AOT build leaves the server out (docs/local-http.md, "Builds"); the server's figures come from the build
/// published with <c>-p:EdgeLocalHttp=true</c>, and the default build's RSS is measured in the same run.
/// <c>EDGE_BENCH_BASELINE_AGENT</c> may name an AOT edge-agent built before the server existed; its size and RSS
/// are measured in the same run.
/// </summary>
internal sealed class LocalHttpBenchmark : IBenchmark
{
    public string Name => "local-http";

    public string Description => "edge-agent local HTTP server: infer latency vs in-process ModelHost (p50/p95, interleaved), AOT RSS with the server off/on";

    public async Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var failure = await AgentBenchSupport.PublishAotAsync(cancellationToken) ?? await AgentBenchSupport.PublishAotAsync(cancellationToken, localHttp: true);
        if (failure is not null)
        {
            return new JsonObject { ["error"] = failure };
        }

        var aot = AgentBenchSupport.AotHttpExecutable;
        var seconds = context.Quick ? "6" : "20";
        var results = new JsonObject
        {
            ["load_average_at_start"] = File.ReadAllText("/proc/loadavg").Trim(),
            ["aot_default_binary_bytes"] = new FileInfo(AgentBenchSupport.AotExecutable).Length,
            ["aot_local_http_binary_bytes"] = new FileInfo(aot).Length,
            ["latency_mnist"] = await context.RunChildAsync(this, ["latency", aot, context.Quick ? "5" : "30"], cancellationToken),
        };

        if (Environment.GetEnvironmentVariable("EDGE_BENCH_BASELINE_AGENT") is { Length: > 0 } baseline)
        {
            results["baseline_aot_binary_bytes"] = new FileInfo(baseline).Length;
            results["baseline_rss_no_model"] = await context.RunChildAsync(this, ["rss", baseline, seconds, "off"], cancellationToken);
        }

        results["rss_no_model_default_build"] = await context.RunChildAsync(this, ["rss", AgentBenchSupport.AotExecutable, seconds, "off"], cancellationToken);
        results["rss_no_model_http_off"] = await context.RunChildAsync(this, ["rss", aot, seconds, "off"], cancellationToken);
        results["rss_no_model_http_on"] = await context.RunChildAsync(this, ["rss", aot, seconds, "health"], cancellationToken);
        results["rss_mnist_http_off"] = await context.RunChildAsync(this, ["rss", aot, seconds, "model-off"], cancellationToken);
        results["rss_mnist_http_on"] = await context.RunChildAsync(this, ["rss", aot, seconds, "model-inference"], cancellationToken);
        results["rss_max_mib_no_model_default_build"] = Mib(results, "rss_no_model_default_build");
        results["rss_max_mib_no_model_off_on"] = new JsonArray(Mib(results, "rss_no_model_http_off"), Mib(results, "rss_no_model_http_on"));
        results["rss_max_mib_mnist_off_on"] = new JsonArray(Mib(results, "rss_mnist_http_off"), Mib(results, "rss_mnist_http_on"));
        return results;
    }

    public JsonObject RunChild(IReadOnlyList<string> arguments) => arguments[0] == "latency"
        ? LocalHttpLatency.RunAsync(arguments[1], int.Parse(arguments[2], CultureInfo.InvariantCulture)).GetAwaiter().GetResult()
        : RunRssAsync(arguments[1], int.Parse(arguments[2], CultureInfo.InvariantCulture), arguments[3]).GetAwaiter().GetResult();

    private static double Mib(JsonObject results, string key) => Math.Round(results[key]!["rss_max_bytes"]!.GetValue<long>() / 1048576.0, 2);

    /// <summary>The agent at 10 telemetry msg/s for <paramref name="seconds"/>; with the server on, probes or infers 10 times a second.</summary>
    private static async Task<JsonObject> RunRssAsync(string executable, int seconds, string mode)
    {
        await using var broker = await AgentBenchSupport.StartBrokerAsync();
        var model = mode.StartsWith("model", StringComparison.Ordinal);
        var routes = mode switch { "health" => "health", "model-inference" => "inference", _ => null };
        await using var agent = await LocalHttpAgent.StartAsync(executable, broker.Port, model, routes, "--Telemetry:Interval=00:00:00.1", "--Telemetry:BatchSize=1");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{agent.Port}") };
        var body = LocalHttpLatency.MnistBody();
        var failures = 0;
        var requests = 0;
        async Task CallAsync()
        {
            if (routes is null)
            {
                return;
            }

            using var content = new ByteArrayContent(body);
            using var response = routes == "health"
                ? await client.GetAsync(requests % 2 == 0 ? "/readyz" : "/healthz")
                : await client.PostAsync("/v2/models/mnist/infer", content);
            requests++;
            failures += routes == "inference" && !response.IsSuccessStatusCode ? 1 : 0;
        }

        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed < TimeSpan.FromSeconds(5))
        {
            await CallAsync();
            await Task.Delay(100);
        }

        var pid = agent.Process.Id;
        var cpuStart = AgentBenchSupport.CpuTime(pid);
        var watch = Stopwatch.StartNew();
        var samples = new List<long>();
        requests = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            await CallAsync();
            if (requests % 5 == 0 || routes is null)
            {
                samples.Add(AgentBenchSupport.ResidentBytes(pid));
            }

            await Task.Delay(100);
        }

        var cpu = AgentBenchSupport.CpuTime(pid) - cpuStart;
        return new JsonObject
        {
            ["mode"] = mode,
            ["executable"] = executable,
            ["requests_per_second"] = Math.Round(requests / watch.Elapsed.TotalSeconds, 2),
            ["failed_requests"] = failures,
            ["threads"] = AgentBenchSupport.ThreadCount(pid),
            ["rss_mean_bytes"] = (long)samples.Average(),
            ["rss_max_bytes"] = samples.Max(),
            ["peak_rss_bytes"] = AgentBenchSupport.PeakResidentBytes(pid),
            ["cpu_percent_of_one_core"] = Math.Round(100 * cpu.TotalSeconds / watch.Elapsed.TotalSeconds, 3),
        };
    }
}
