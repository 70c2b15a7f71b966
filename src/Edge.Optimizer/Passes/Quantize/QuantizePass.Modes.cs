using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Optimizer.Calibration;
using Edge.Optimizer.Passes.Quantize.Dynamic;
using Edge.Optimizer.Passes.Quantize.Fp16;
using Edge.Optimizer.Passes.Quantize.Preparation;
using Edge.Optimizer.Passes.Quantize.Static;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Optimizer.Passes.Quantize;

internal sealed partial class QuantizePass
{
    /// <summary>The opset dynamic quantization needs (DynamicQuantizeLinear).</summary>
    private const int DynamicOpset = 11;

    /// <summary>How many nodes without an fp16 kernel may be moved back to float32 before giving up.</summary>
    private const int MaxKernelFallbacks = 64;

    private static bool RunDynamic(RunState run)
    {
        var prepared = run.Options.Preoptimize
            ? ModelPreparer.Preoptimize(run.Input, run.Folder)
            : OnnxModel.FromProto(run.Input.Proto.Clone(), run.Input.ExternalDataDirectory);
        OpsetUpgrader.Upgrade(prepared.Proto, DynamicOpset, new NameAllocator(prepared.Proto));
        var quantizer = DynamicQuantizer.Run(prepared.Proto, run.Options);
        var subgraphNodes = quantizer.Quantized.Count(q => q.Contains('/', StringComparison.Ordinal));
        run.Report["quantization"] = new JsonObject
        {
            ["quantized_nodes"] = quantizer.Quantized.Count,
            ["quantized_in_subgraphs"] = subgraphNodes,
            ["quantized"] = new JsonArray([.. quantizer.Quantized.Select(q => (JsonNode)q)]),
            ["float_nodes"] = FloatNodesJson(quantizer.FloatNodes),
        };
        run.Output = prepared;
        return quantizer.Quantized.Count > 0;
    }

    private static bool RunFp16(RunState run)
    {
        IReadOnlyDictionary<string, Microsoft.ML.OnnxRuntime.Tensors.TensorElementType> types;
        var graph = run.Input.Proto.Graph;
        using (var runner = ActivationRunner.Create(run.Input, graph.Input.Select(i => i.Name).Concat(graph.Node.SelectMany(n => n.Output)).Where(o => o.Length > 0), run.Options.Threads))
        {
            types = runner.OutputTypes;
        }

        var blocked = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 0; ; attempt++)
        {
            var result = Fp16Converter.Convert(run.Input, run.Options, types, blocked);
            var missing = MissingKernel(result.Model, run.Folder);
            if (missing is not null && attempt < MaxKernelFallbacks && blocked.Add(missing))
            {
                continue; // ONNX Runtime has no fp16 kernel for this node here: run it in float32 behind Casts
            }

            run.Output = result.Model;
            run.Report["quantization"] = new JsonObject
            {
                ["converted_nodes"] = result.ConvertedNodes,
                ["casts_added"] = result.CastsAdded,
                ["float32_io"] = run.Options.KeepIoTypes,
                ["float_nodes"] = FloatNodesJson(result.Float32Nodes),
                ["clamped_initializers"] = new JsonArray([.. result.Clamped.Select(c => (JsonNode)new JsonObject
                {
                    ["initializer"] = c.Name,
                    ["values_clamped"] = c.Count,
                    ["largest_magnitude"] = c.LargestMagnitude,
                })]),
            };
            foreach (var clamped in result.Clamped)
            {
                run.Warnings.Add(string.Create(CultureInfo.InvariantCulture, $"initializer '{clamped.Name}': {clamped.Count} value(s) up to {clamped.LargestMagnitude:G4} exceed the fp16 range and were clamped to ±65504."));
            }

            return result.ConvertedNodes > 0;
        }
    }

    /// <summary>The name of a node ONNX Runtime cannot find an fp16 kernel for, or null when the model loads.</summary>
    private static string? MissingKernel(OnnxModel model, string folder)
    {
        var path = Path.Combine(folder, "fp16-probe.onnx");
        OnnxModel.FromProto(model.Proto, model.ExternalDataDirectory).Save(path);
        try
        {
            using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            using var session = new InferenceSession(path, options);
            return null;
        }
        catch (OnnxRuntimeException exception)
        {
            var match = Regex.Match(exception.Message, @"Could not find an implementation for \w+\(\d+\) node with name '([^']*)'", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            return match.Success ? match.Groups[1].Value : null;
        }
    }

    private static JsonArray FloatNodesJson(IEnumerable<FloatNode> nodes) =>
        new([.. nodes.Select(f => (JsonNode)new JsonObject { ["node"] = f.Name, ["op_type"] = f.OpType, ["reason"] = f.Reason })]);
}
