using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Cli;

/// <summary>The few lines a person reads after each step of a run, drawn from the step's report.</summary>
internal static class StepSummary
{
    public static IEnumerable<string> Lines(StepOutcome step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (step.Result is null)
        {
            return [$"skipped   done in an earlier run: {step.OutputPath}"];
        }

        var report = step.Result.Report;
        return step.Pass switch
        {
            "quantize" => Quantize(report),
            "prune" => Prune(report),
            "distill" => Distill(report),
            "pack" => Pack(report),
            _ => [],
        };
    }

    private static IEnumerable<string> Quantize(JsonObject report)
    {
        var c = CultureInfo.InvariantCulture;
        var quantization = report["quantization"];
        yield return $"mode      {report["mode"]}: {quantization?["quantized_nodes"] ?? quantization?["converted_nodes"]} node(s) converted, {(quantization?["float_nodes"] as JsonArray)?.Count ?? 0} left float";
        if (report["size"] is { } size)
        {
            yield return string.Create(c, $"size      {(long)size["before_bytes"]!:N0} -> {(long)size["after_bytes"]!:N0} bytes ({(double)size["ratio"]!:0.###}x)");
        }

        if (report["latency"] is { } latency && (bool?)latency["measured"] == true)
        {
            yield return string.Create(c, $"latency   p50 {(double)latency["before"]!["p50_ms"]!:0.###} -> {(double)latency["after"]!["p50_ms"]!:0.###} ms ({(double)latency["ratio_p50"]!:0.###}x, {latency["threads"]} threads, interleaved)");
        }

        if (report["accuracy"] is { } accuracy)
        {
            yield return string.Create(c, $"accuracy  top-1 {Percent(accuracy["before"]?["top1"])} -> {Percent(accuracy["after"]?["top1"])}, agreement {Percent(accuracy["top1_agreement"])}, drop {(double)accuracy["drop_points"]!:0.##} points ({accuracy["drop_metric"]})");
        }

        if (report["search"]?["explanation"] is { } explanation)
        {
            yield return $"search    {explanation}";
        }
    }

    private static IEnumerable<string> Prune(JsonObject report)
    {
        var c = CultureInfo.InvariantCulture;
        if (report["channel_sparsity"] is { } channels)
        {
            yield return string.Create(c, $"channels  {(double)channels:P1} removed; {report["frozen_groups"]} group(s) left whole (see the report for why)");
        }

        if (report["targeted_sparsity"] is { } sparsity)
        {
            yield return string.Create(c, $"sparsity  {(double)sparsity:P2} over {report["targeted_layers"]} targeted layer(s)");
        }

        if (report["macs"]?["ratio"] is { } macs)
        {
            yield return string.Create(c, $"MACs      {(long)report["macs"]!["original"]!:N0} -> {(long)report["macs"]!["pruned"]!:N0} ({(double)macs:F3}x)");
        }

        var size = report["size"]!;
        yield return string.Create(c, $"size      {(long)size["original_bytes"]!:N0} -> {(long)size["pruned_bytes"]!:N0} bytes ({(double)size["bytes_ratio"]!:F3}x); gzip {(long)size["original_gzip_bytes"]!:N0} -> {(long)size["pruned_gzip_bytes"]!:N0} ({(double)size["gzip_ratio"]!:F3}x)");
        if (report["latency"] is { } latency)
        {
            yield return string.Create(c, $"latency   p50 {(double)latency["original_p50_ms"]!:F3} -> {(double)latency["pruned_p50_ms"]!:F3} ms ({(double)latency["p50_ratio"]!:F3}x; min {(double)latency["min_ratio"]!:F3}x; {latency["threads"]} threads, interleaved)");
        }

        if (report["accuracy"] is { } accuracy)
        {
            yield return string.Create(c, $"accuracy  top-1 {accuracy["original_top1"]} -> {accuracy["pruned_top1"]}; agreement with original {accuracy["top1_agreement_with_original"]} (before recovery)");
        }
    }

    private static IEnumerable<string> Distill(JsonObject report)
    {
        var c = CultureInfo.InvariantCulture;
        yield return string.Create(c, $"parity    ONNX Runtime vs TorchSharp max |diff| / max(1, |value|) {(double)report["write_back_max_difference"]!:G3}");
        if (report["final_eval_accuracy"] is { } accuracy)
        {
            yield return string.Create(c, $"eval      top-1 {(double)accuracy:P2}, agreement with teacher {(double?)report["final_eval_agreement"]:P2}");
        }
    }

    private static IEnumerable<string> Pack(JsonObject report)
    {
        yield return $"packed    {report["name"]} {report["version"]} -> {report["package"]} ({report["files"]} file(s), {report["bytes"]} bytes, {report["golden_samples"]} golden sample(s))";
        yield return $"inputs: {string.Join(", ", (report["inputs"] as JsonArray ?? []).Select(n => (string?)n))}; outputs: {string.Join(", ", (report["outputs"] as JsonArray ?? []).Select(n => (string?)n))}";
    }

    private static string Percent(JsonNode? value) =>
        value is null ? "n/a" : ((double)value * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
