using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Edge.CommandLine;
using Edge.Optimizer.Evaluation;
using Edge.Optimizer.Reports;
using Edge.Sdk.Inference;
using Edge.Sdk.IO;

namespace Edge.Optimizer.Cli.Commands;

/// <summary>
/// <c>edge-optimize bench &lt;model.onnx|pkg&gt; [--provider] [--threads N] [--runs R] [--vs other.onnx] [--json]</c>:
/// latency percentiles, throughput and peak memory through the SDK; with <c>--vs</c> the two models are interleaved run
/// by run and the ratio is printed; on the CPU the SDK's overhead over a bare ONNX Runtime session is measured too.
/// JSON schema: docs/cli-json.md.
/// </summary>
internal static class BenchCommand
{
    public const string Schema = "edge.bench/v1";

    public static Command Build(CliContext context)
    {
        var model = new Argument<string>("model") { Description = "The .onnx model or .edgepkg package to measure." };
        var vs = new Option<FileInfo?>("--vs") { Description = "A second model measured interleaved with the first; the ratio first/second is printed." };
        var runs = new Option<int>("--runs") { Description = "Measured runs per model.", DefaultValueFactory = _ => 200 };
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured runs per model before measuring.", DefaultValueFactory = _ => 20 };
        var json = CommonOptions.Json();
        var threads = CommonOptions.Threads();
        var provider = CommonOptions.Provider();
        var trust = CommonOptions.Trust();
        var allowUnsigned = CommonOptions.AllowUnsigned();
        var command = new Command("bench", "Measure latency (p50/p95/p99), throughput and peak memory through the SDK, optionally against a second model.")
        {
            model, vs, runs, warmup, json, threads, provider, trust, allowUnsigned,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var runCount = parseResult.GetValue(runs);
            var warmupCount = parseResult.GetValue(warmup);
            if (runCount < 1 || warmupCount < 0)
            {
                throw new CliUsageException($"--runs must be at least 1 (got {runCount}) and --warmup at least 0 (got {warmupCount}).");
            }

            using var resolved = await ResolvedModel.OpenAsync(parseResult.GetValue(model)!, parseResult.GetValue(trust) ?? [], parseResult.GetValue(allowUnsigned), cancellationToken);
            var other = parseResult.GetValue(vs)?.FullName;
            if (other is not null && !File.Exists(other))
            {
                throw new FileNotFoundException($"Model '{other}' given with --vs {PathProblem.ForFile(other)}.", other);
            }

            var threadCount = parseResult.GetValue(threads);
            var sessionOptions = CommonOptions.SessionOptions(parseResult.GetValue(provider), threadCount);
            var (first, second, spread) = LatencyComparison.Measure(resolved.ModelPath, other, sessionOptions, warmupCount, runCount, cancellationToken);
            var overhead = MeasureOverhead(resolved.ModelPath, sessionOptions(), threadCount, warmupCount, runCount, cancellationToken);
            var peak = PeakResidentBytes();

            var report = new JsonObject
            {
                ["schema"] = Schema,
                ["model"] = resolved.DisplayName,
                ["provider"] = overhead.Provider.ToString().ToLowerInvariant(),
                ["threads"] = threadCount,
                ["latency"] = ToJson(first),
                ["peak_rss_bytes"] = peak,
                ["sdk_overhead"] = overhead.Json,
            };
            if (second is not null)
            {
                report["vs"] = new JsonObject
                {
                    ["model"] = Path.GetFileName(other),
                    ["latency"] = ToJson(second),
                    ["p50_ratio"] = first.P50Ms / second.P50Ms,
                    ["p50_ratio_spread"] = SpreadJson(spread),
                };
            }

            if (parseResult.GetValue(json))
            {
                context.Output.WriteLine(ReportJson.Text(report, indented: true));
            }
            else
            {
                WriteText(context.Output, report, first, second, Path.GetFileName(other));
            }

            foreach (var warning in NoiseWarnings(spread, overhead.Spread, other is not null || overhead.Json is not null, runCount))
            {
                await context.Error.WriteLineAsync($"warning: {warning}".AsMemory(), cancellationToken);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static (ExecutionProvider Provider, JsonObject? Json, RatioSpread? Spread) MeasureOverhead(string modelPath, EdgeSessionOptions options, int threads, int warmup, int runs, CancellationToken cancellationToken)
    {
        using var sdk = LatencyComparison.Probe.Open(modelPath, options);
        if (sdk.Session.Provider != ExecutionProvider.Cpu)
        {
            return (sdk.Session.Provider, null, null); // the bare baseline runs on the CPU only
        }

        using var bare = new BareOrtProbe(modelPath, threads, SyntheticInputs.Create(sdk.Session.Inputs));
        var sdkSamples = new List<double>(runs);
        var bareSamples = new List<double>(runs);
        for (var i = 0; i < warmup + runs; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var s = sdk.RunMilliseconds();
            var b = bare.RunMilliseconds();
            if (i >= warmup)
            {
                sdkSamples.Add(s);
                bareSamples.Add(b);
            }
        }

        var sdkStats = LatencyStats.From(sdkSamples);
        var bareStats = LatencyStats.From(bareSamples);
        var spread = RatioSpread.From(sdkSamples, bareSamples);
        return (sdk.Session.Provider, new JsonObject
        {
            ["sdk_p50_ms"] = sdkStats.P50Ms,
            ["bare_ort_p50_ms"] = bareStats.P50Ms,
            ["overhead_us"] = (sdkStats.P50Ms - bareStats.P50Ms) * 1000,
            ["p50_ratio"] = sdkStats.P50Ms / bareStats.P50Ms,
            ["p50_ratio_spread"] = SpreadJson(spread),
        }, spread);
    }

    private static JsonObject? SpreadJson(RatioSpread? spread) => spread is null ? null : new JsonObject
    {
        ["parts"] = spread.Parts,
        ["min"] = spread.Min,
        ["max"] = spread.Max,
        ["noisy"] = spread.Noisy,
    };

    /// <summary>One line per ratio that the run's own spread makes meaningless, saying what to do about it.</summary>
    private static IEnumerable<string> NoiseWarnings(RatioSpread? vs, RatioSpread? overhead, bool anyRatio, int runs)
    {
        var c = CultureInfo.InvariantCulture;
        if (vs is { Noisy: true })
        {
            yield return string.Create(c, $"the p50 ratio moved from {vs.Min:F3} to {vs.Max:F3} between {vs.Parts} parts of this run (more than {RatioSpread.NoisyFraction:P0} of {vs.Ratio:F3}): the machine is too noisy for the ratio to mean much; close other programs or raise --runs.");
        }

        if (overhead is { Noisy: true })
        {
            yield return string.Create(c, $"the SDK / bare ONNX Runtime p50 ratio moved from {overhead.Min:F3} to {overhead.Max:F3} between {overhead.Parts} parts of this run: the machine is too noisy for the SDK overhead figure to mean much.");
        }

        if (anyRatio && runs < 2 * RatioSpread.MinRunsPerPart)
        {
            yield return $"{runs} runs are too few to judge the noise (at least {2 * RatioSpread.MinRunsPerPart}); the ratios may be noise.";
        }
    }

    private static JsonObject ToJson(LatencyStats stats) => new()
    {
        ["runs"] = stats.Runs,
        ["p50_ms"] = stats.P50Ms,
        ["p95_ms"] = stats.P95Ms,
        ["p99_ms"] = stats.P99Ms,
        ["mean_ms"] = stats.MeanMs,
        ["throughput_per_s"] = stats.ThroughputPerSecond,
    };

    private static void WriteText(TextWriter output, JsonObject report, LatencyStats first, LatencyStats? second, string? otherName)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"model      {report["model"]} ({report["provider"]}, {report["threads"]} threads, {first.Runs} runs)");
        output.WriteLine(string.Create(c, $"latency    p50 {first.P50Ms:F3} ms   p95 {first.P95Ms:F3} ms   p99 {first.P99Ms:F3} ms"));
        output.WriteLine(string.Create(c, $"throughput {first.ThroughputPerSecond:F1} inferences/s (one stream)"));
        if (second is not null)
        {
            output.WriteLine($"vs         {otherName}");
            output.WriteLine(string.Create(c, $"latency    p50 {second.P50Ms:F3} ms   p95 {second.P95Ms:F3} ms   p99 {second.P99Ms:F3} ms"));
            output.WriteLine(string.Create(c, $"ratio      {first.P50Ms / second.P50Ms:F3} (p50, first / second, interleaved)"));
        }

        if (report["sdk_overhead"] is JsonObject overhead)
        {
            output.WriteLine(string.Create(c, $"sdk        {(double)overhead["overhead_us"]!:F1} µs over a bare ONNX Runtime session (p50 ratio {(double)overhead["p50_ratio"]!:F4})"));
        }

        output.WriteLine(string.Create(c, $"peak RSS   {(long)report["peak_rss_bytes"]! / (1024.0 * 1024):F1} MiB"));
    }

    private static long PeakResidentBytes()
    {
        const string status = "/proc/self/status";
        var line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
        if (line is null)
        {
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            return self.PeakWorkingSet64;
        }

        return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
