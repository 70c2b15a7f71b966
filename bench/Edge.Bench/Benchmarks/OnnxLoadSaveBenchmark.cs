using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Bench.Harness;
using Edge.Onnx;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// Loading (parse + validate) and load+save of the largest shared models, against <c>File.ReadAllBytes</c> of the
/// same file as the floor: reading the bytes is the least any loader must do.
/// </summary>
internal sealed class OnnxLoadSaveBenchmark : IBenchmark
{
    private const int ModelCount = 4;

    public string Name => "onnx-load-save";

    public string Description => "OnnxModel.Load and Load+Save of the 4 largest shared models vs File.ReadAllBytes (time, peak RSS)";

    public async Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var models = Directory.GetFiles(Path.Combine(context.DataRoot, "models"), "*.onnx", SearchOption.AllDirectories)
            .Select(f => new FileInfo(f)).OrderByDescending(f => f.Length).ThenBy(f => f.FullName, StringComparer.Ordinal).Take(ModelCount).ToList();
        var runs = context.Quick ? "3" : "20";
        var cases = new JsonArray();
        foreach (var model in models)
        {
            var figures = new JsonObject();
            foreach (var mode in new[] { "read-all-bytes", "load", "load-save" })
            {
                Console.Error.WriteLine($"   {mode} {model.Name}");
                figures[mode] = await context.RunChildAsync(this, [mode, model.FullName, runs], cancellationToken);
            }

            var read = P50(figures, "read-all-bytes");
            cases.Add(new JsonObject
            {
                ["model"] = Path.GetRelativePath(context.DataRoot, model.FullName),
                ["bytes"] = model.Length,
                ["read_all_bytes"] = figures["read-all-bytes"]!.DeepClone(),
                ["load"] = figures["load"]!.DeepClone(),
                ["load_save"] = figures["load-save"]!.DeepClone(),
                ["load_over_read_all_bytes_p50"] = Math.Round(P50(figures, "load") / read, 2),
                ["load_save_over_read_all_bytes_p50"] = Math.Round(P50(figures, "load-save") / read, 2),
                ["load_save_peak_rss_over_read_all_bytes"] = Math.Round(
                    (double)figures["load-save"]!["peak_rss_bytes"]!.GetValue<long>() / figures["read-all-bytes"]!["peak_rss_bytes"]!.GetValue<long>(), 2),
            });
        }

        return new JsonObject { ["warmup_runs"] = 3, ["cases"] = cases };
    }

    public JsonObject RunChild(IReadOnlyList<string> arguments)
    {
        var mode = arguments[0];
        var path = arguments[1];
        var runs = int.Parse(arguments[2], CultureInfo.InvariantCulture);
        var folder = Directory.CreateTempSubdirectory("edge-bench-onnx-");
        try
        {
            var target = Path.Combine(folder.FullName, "saved.onnx");
            Action action = mode switch
            {
                "read-all-bytes" => () => GC.KeepAlive(File.ReadAllBytes(path)),
                "load" => () => GC.KeepAlive(OnnxModel.Load(path)),
                "load-save" => () => OnnxModel.Load(path).Save(target),
                _ => throw new ArgumentException($"Unknown mode '{mode}'; expected read-all-bytes, load or load-save."),
            };
            var samples = Measure.Repeat(action, warmup: 3, runs);
            var summary = Measure.Summarize(samples);
            summary["peak_rss_bytes"] = Measure.PeakResidentBytes();
            return summary;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static double P50(JsonObject figures, string mode) => figures[mode]!["p50_ms"]!.GetValue<double>();
}
