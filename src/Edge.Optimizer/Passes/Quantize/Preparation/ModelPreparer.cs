using Edge.Onnx;
using Edge.Onnx.Graph;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Optimizer.Passes.Quantize.Preparation;

/// <summary>
/// Prepares a float model for quantization on a copy: ONNX Runtime's basic (hardware-independent) graph optimizations
/// fold constants (for example ConstantOfShape weights) and fuse Conv+BatchNorm and MatMul+Add, so weights become
/// initializers the quantizer can see; then the opset is raised to 13 for per-channel QDQ.
/// </summary>
internal static class ModelPreparer
{
    /// <summary>The opset QDQ with per-channel axes needs.</summary>
    public const int QdqOpset = 13;

    public static OnnxModel Preoptimize(OnnxModel model, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        var source = Path.Combine(folder, "source.onnx");
        var optimized = Path.Combine(folder, "preoptimized.onnx");
        OnnxModel.FromProto(model.Proto.Clone(), model.ExternalDataDirectory).Save(source);
        using (var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC,
            OptimizedModelFilePath = optimized,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        })
        {
            try
            {
                using var session = new InferenceSession(source, options);
            }
            catch (OnnxRuntimeException exception)
            {
                throw new QuantizationException($"ONNX Runtime cannot load the float model, so it cannot be calibrated: {exception.Message}", exception);
            }
        }

        var result = OnnxModel.Load(optimized);

        // Constant folding consumes initializers that old (IR 3) models also list as graph inputs; such an input is
        // left unused and without its initializer, which would turn it into a required input. It was never a real one.
        var initializers = new HashSet<string>(model.Proto.Graph.Initializer.Select(i => i.Name), StringComparer.Ordinal);
        var kept = new HashSet<string>(result.Proto.Graph.Initializer.Select(i => i.Name), StringComparer.Ordinal);
        var read = new HashSet<string>(result.Proto.Graph.Node.SelectMany(n => n.Input).Concat(result.Proto.Graph.Output.Select(o => o.Name)), StringComparer.Ordinal);
        foreach (var input in result.Proto.Graph.Input.Where(i => initializers.Contains(i.Name) && !kept.Contains(i.Name) && !read.Contains(i.Name)).ToList())
        {
            result.Proto.Graph.Input.Remove(input);
        }

        // ONNX Runtime writes its own producer; keep the model's metadata so lineage stays readable.
        result.Proto.ProducerName = model.Proto.ProducerName;
        result.Proto.ProducerVersion = model.Proto.ProducerVersion;
        result.Proto.DocString = model.Proto.DocString;
        result.Proto.ModelVersion = model.Proto.ModelVersion;
        result.Proto.MetadataProps.Clear();
        result.Proto.MetadataProps.AddRange(model.Proto.MetadataProps);
        DropUnusedOpsetImports(result, model);
        return result;
    }

    /// <summary>
    /// ONNX Runtime's saved model imports every domain it knows (training, preview, its layout-internal ones);
    /// keep only those the model had or that a node or function uses, so other tools see the model's real needs.
    /// </summary>
    private static void DropUnusedOpsetImports(OnnxModel optimized, OnnxModel original)
    {
        var keep = new HashSet<string>(original.Proto.OpsetImport.Select(o => Canonical(o.Domain)), StringComparer.Ordinal) { "" };
        foreach (var graph in optimized.GetGraph().SelfAndDescendants())
        {
            keep.UnionWith(graph.Proto.Node.Select(n => Canonical(n.Domain)));
        }

        foreach (var function in optimized.Proto.Functions)
        {
            keep.Add(Canonical(function.Domain));
            keep.UnionWith(function.Node.Select(n => Canonical(n.Domain)));
        }

        foreach (var unused in optimized.Proto.OpsetImport.Where(o => !keep.Contains(Canonical(o.Domain))).ToList())
        {
            optimized.Proto.OpsetImport.Remove(unused);
        }
    }

    private static string Canonical(string domain) => domain == "ai.onnx" ? "" : domain;

    /// <summary>Raises the opset to <see cref="QdqOpset"/>, names unnamed nodes, and drops initializers listed as graph inputs (an IR 3 habit that makes ONNX Runtime treat weights as overridable, not constant).</summary>
    public static void PrepareForQdq(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var names = new NameAllocator(model.Proto);
        OpsetUpgrader.Upgrade(model.Proto, QdqOpset, names);
        var graph = model.Proto.Graph;

        // Every node gets a name (its first output's, when free), so reports and --exclude-nodes can point at it.
        var nodeNames = new HashSet<string>(graph.Node.Select(n => n.Name), StringComparer.Ordinal);
        foreach (var node in graph.Node.Where(n => n.Name.Length == 0))
        {
            var preferred = node.Output.FirstOrDefault(o => o.Length > 0) ?? node.OpType;
            var name = preferred;
            for (var i = 1; !nodeNames.Add(name); i++)
            {
                name = $"{preferred}_{i}";
            }

            node.Name = name;
        }

        var initializers = new HashSet<string>(graph.Initializer.Select(i => i.Name), StringComparer.Ordinal);
        foreach (var input in graph.Input.Where(i => initializers.Contains(i.Name)).ToList())
        {
            graph.Input.Remove(input);
        }
    }
}
