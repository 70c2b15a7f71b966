using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Bench.Harness;
using Edge.Onnx;
using Edge.Optimizer.Data;
using Edge.Optimizer.Evaluation;
using Edge.Optimizer.Passes.Prune;
using Edge.Optimizer.Passes.Prune.Channels;
using Edge.Optimizer.Passes.Prune.Magnitude;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// What pruning pays: structured channel pruning at 30% and 50% (MACs, size, and latency of original and pruned
/// interleaved through the SDK at 2 threads in one process) for SqueezeNet 1.0 and YOLOX-Nano, and unstructured
/// magnitude pruning at 50% on SqueezeNet (gzip size, and latency to show that zeros alone do not speed anything up).
/// </summary>
internal sealed class PruneBenchmark : IBenchmark
{
    private const int Threads = 2;
    private const string SqueezeNetSpec =
        """{ "width": 224, "height": 224, "resize": "shorterSideCrop", "shorterSide": 256, "interpolation": "bilinear", "colorOrder": "bgr", "mean": [104, 117, 123] }""";

    private static readonly (string Key, string Path)[] Models =
    [
        ("squeezenet", "models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx"),
        ("yolox_nano", "models/detectors/yolox_nano/yolox_nano.onnx"),
    ];

    public string Name => "prune";

    public string Description => "channel pruning 30%/50% (MACs, size, SDK latency pruned/original interleaved, 2 threads) and magnitude 50%, default and earlier default (packed package gzip size, accuracy before recovery, latency)";

    public async Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var runs = context.Quick ? "30" : "600";
        var results = new JsonObject { ["threads"] = Threads, ["default_channel_multiple"] = new PruneOptions().ChannelMultiple };
        foreach (var (key, _) in Models)
        {
            foreach (var sparsity in new[] { "0.3", "0.5" })
            {
                foreach (var multiple in new[] { "8", "16" })
                {
                    results[$"{key}_channel_{sparsity}_x{multiple}"] = await context.RunChildAsync(this, [key, "channel", sparsity, runs, multiple], cancellationToken);
                }
            }
        }

        results["squeezenet_magnitude_0.5"] = await context.RunChildAsync(this, ["squeezenet", "magnitude", "0.5", runs, "1"], cancellationToken);
        results["squeezenet_magnitude_0.5_layer_skip_first_last"] = await context.RunChildAsync(this, ["squeezenet", "magnitude-layer-skip", "0.5", runs, "1"], cancellationToken);
        return results;
    }

    public JsonObject RunChild(IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(Environment.GetEnvironmentVariable("EDGE_TEST_DATA")!, Models.Single(m => m.Key == arguments[0]).Path);
        var method = arguments[1];
        var sparsity = double.Parse(arguments[2], CultureInfo.InvariantCulture);
        var runs = int.Parse(arguments[3], CultureInfo.InvariantCulture);
        var multiple = int.Parse(arguments[4], CultureInfo.InvariantCulture);
        var original = OnnxModel.Load(path);
        var defaults = new PruneOptions();
        OnnxModel pruned;
        var result = new JsonObject
        {
            ["model"] = Path.GetFileName(path),
            ["method"] = method,
            ["sparsity"] = sparsity,
            ["load_average_before"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null,
        };
        if (method == "channel")
        {
            var prepared = ChannelPruner.Prepare(original, CancellationToken.None);
            var settings = new ChannelSelectionSettings(sparsity, PruneScope.Layer, PruneCriterion.L1, defaults.MinChannels, multiple, new HashSet<string>());
            result["channel_multiple"] = multiple;
            var outcome = ChannelPruner.PruneVerified(prepared, settings, CancellationToken.None);
            pruned = outcome.Model;
            var decisions = outcome.Selection.Decisions.Where(d => !d.Frozen).ToList();
            result["channel_sparsity"] = 1 - ((double)decisions.Sum(d => d.Kept) / decisions.Sum(d => d.Channels));
            result["pruned_groups"] = decisions.Count(d => d.Pruned);
            result["frozen_groups"] = outcome.Selection.Decisions.Count(d => d.Frozen);
        }
        else
        {
            pruned = OnnxModel.FromProto(original.Proto.Clone(), original.ExternalDataDirectory);
            // "magnitude" is the pass's default (one global threshold, every layer); "magnitude-layer-skip" is the
            // earlier default (each layer alone, first and last left whole), kept to show what the change bought.
            var magnitudeDefaults = new PruneOptions { Method = PruneMethod.Magnitude };
            var earlier = method == "magnitude-layer-skip";
            var scope = earlier ? PruneScope.Layer : magnitudeDefaults.EffectiveScope;
            var skipFirstLast = earlier || magnitudeDefaults.SkipFirstLast;
            result["scope"] = scope.ToString().ToLowerInvariant();
            result["skip_first_last"] = skipFirstLast;
            var rows = MagnitudePruner.Prune(pruned, sparsity, scope, !skipFirstLast, new HashSet<string>()).Where(r => r.Note is null).ToList();
            result["targeted_layers"] = rows.Count;
            result["targeted_sparsity"] = (double)rows.Sum(r => r.ZerosAfter) / rows.Sum(r => r.Parameters);
            result["layer_sparsity_min"] = rows.Min(r => (double)r.ZerosAfter / r.Parameters);
            result["layer_sparsity_max"] = rows.Max(r => (double)r.ZerosAfter / r.Parameters);
        }

        var macsBefore = PruneMeasurements.Macs(original, CancellationToken.None);
        var macsAfter = PruneMeasurements.Macs(pruned, CancellationToken.None);
        result["macs_original"] = macsBefore;
        result["macs_pruned"] = macsAfter;
        result["macs_ratio"] = (double)macsAfter!.Value / macsBefore!.Value;
        var sizes = PruneMeasurements.SizesAsync(original, pruned, CancellationToken.None).GetAwaiter().GetResult();
        foreach (var (key, value) in sizes)
        {
            result[key] = value?.DeepClone();
        }

        var folder = Directory.CreateTempSubdirectory("edge-bench-prune-");
        try
        {
            var prunedPath = Path.Combine(folder.FullName, "pruned.onnx");
            pruned.Save(prunedPath);
            foreach (var (key, value) in PrunePackageSize.MeasureAsync(path, prunedPath, folder.FullName, CancellationToken.None).GetAwaiter().GetResult())
            {
                result[key] = value?.DeepClone();
            }

            if (method != "channel" && arguments[0] == "squeezenet")
            {
                // Accuracy before recovery on the photos the pruner never saw (100-499; 0-99 are calibration photos elsewhere).
                var photos = $"images:{Path.Combine(Environment.GetEnvironmentVariable("EDGE_TEST_DATA")!, "datasets/imagenet-sample-500")}@100:500";
                var dataset = DatasetFactory.Open(photos);
                var spec = PreprocessSpec.FromJson(SqueezeNetSpec);
                var before = ModelEvaluator.Evaluate(path, dataset, spec, null, CpuSessionOptions.For(Threads), null, CancellationToken.None);
                var after = ModelEvaluator.Evaluate(prunedPath, dataset, spec, path, CpuSessionOptions.For(Threads), null, CancellationToken.None);
                result["eval_photos"] = photos;
                result["original_top1"] = before.Top1;
                result["pruned_top1"] = after.Top1;
                result["pruned_top1_agreement"] = after.Top1Agreement;
            }

            result["runs"] = runs;
            foreach (var (key, value) in PairedLatency(path, prunedPath, runs))
            {
                result[key] = value?.DeepClone();
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        result["peak_rss_bytes"] = Measure.PeakResidentBytes();
        result["load_average_after"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null;
        return result;
    }

    /// <summary>
    /// Latency of both models through the SDK, run as pairs (which goes first alternates). On a shared machine load
    /// comes in bursts, so besides the ratio of medians this reports the median of per-pair ratios and the ratio of
    /// minimums, which bursts disturb least.
    /// </summary>
    private static JsonObject PairedLatency(string originalPath, string prunedPath, int runs)
    {
        using var original = LatencyComparison.Probe.Open(originalPath, CpuSessionOptions.For(Threads)());
        using var pruned = LatencyComparison.Probe.Open(prunedPath, CpuSessionOptions.For(Threads)());
        for (var i = 0; i < 30; i++)
        {
            original.RunMilliseconds();
            pruned.RunMilliseconds();
        }

        var a = new double[runs];
        var b = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            if (i % 2 == 0)
            {
                a[i] = original.RunMilliseconds();
                b[i] = pruned.RunMilliseconds();
            }
            else
            {
                b[i] = pruned.RunMilliseconds();
                a[i] = original.RunMilliseconds();
            }
        }

        var ratios = a.Zip(b, (x, y) => y / x).Order().ToArray();
        static double P10(double[] values) => values.Order().ElementAt(values.Length / 10);
        var first = LatencyStats.From(a);
        var second = LatencyStats.From(b);
        return new JsonObject
        {
            ["original_p50_ms"] = first.P50Ms,
            ["pruned_p50_ms"] = second.P50Ms,
            ["original_p95_ms"] = first.P95Ms,
            ["pruned_p95_ms"] = second.P95Ms,
            ["original_min_ms"] = first.MinMs,
            ["pruned_min_ms"] = second.MinMs,
            ["pruned_over_original_p50"] = second.P50Ms / first.P50Ms,
            ["original_p10_ms"] = P10(a),
            ["pruned_p10_ms"] = P10(b),
            ["pruned_over_original_min"] = second.MinMs / first.MinMs,
            ["pruned_over_original_p10"] = P10(b) / P10(a),
            ["pruned_over_original_median_of_pairs"] = ratios[ratios.Length / 2],
        };
    }
}
