using Edge.Onnx;
using Edge.Onnx.Protobuf;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Optimizer.Inspection;

/// <summary>
/// Learns the shape of every main-graph value by running the model once in ONNX Runtime: a copy of the model
/// declares every node output as a graph output, and each input is filled with ones (floats) or zeros (integers),
/// with symbolic or unknown dims set to 1. Static shape inference alone cannot resolve shapes that depend on values.
/// </summary>
internal static class ShapeProbe
{
    public sealed record Result(IReadOnlyDictionary<string, long[]> Shapes, string? Failure, IReadOnlyList<string> SubstitutedDims);

    public static Result Run(OnnxModel model, CancellationToken cancellationToken)
    {
        var substituted = new List<string>();
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var graph = model.Proto.Graph;
        foreach (var tensor in graph.Initializer)
        {
            shapes[tensor.Name] = [.. tensor.Dims];
        }

        var initializerNames = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var feeds = new List<(string Name, OrtValue Value)>();
        try
        {
            foreach (var input in graph.Input.Where(i => !initializerNames.Contains(i.Name)))
            {
                var tensorType = input.Type?.TensorType;
                if (tensorType is null)
                {
                    return new(shapes, $"input '{input.Name}' is not a tensor, so the model cannot be run with generated inputs", substituted);
                }

                var dims = new long[tensorType.Shape?.Dim.Count ?? 0];
                for (var axis = 0; axis < dims.Length; axis++)
                {
                    var dim = tensorType.Shape!.Dim[axis];
                    dims[axis] = dim.HasDimValue && dim.DimValue > 0 ? dim.DimValue : 1;
                    if (!dim.HasDimValue)
                    {
                        substituted.Add($"{input.Name}[{axis}]={(dim.HasDimParam ? dim.DimParam : "?")}");
                    }
                }

                if (tensorType.Shape is null)
                {
                    return new(shapes, $"input '{input.Name}' has no declared rank, so no input can be generated for it", substituted);
                }

                shapes[input.Name] = dims;
                feeds.Add((input.Name, CreateInput(tensorType.ElemType, dims) ??
                    throw new NotSupportedException($"input '{input.Name}' has element type {Edge.Onnx.Graph.TensorElementTypes.Name(tensorType.ElemType)}, which the probe cannot generate")));
            }

            cancellationToken.ThrowIfCancellationRequested();
            return RunSession(model, feeds, shapes, substituted);
        }
#pragma warning disable CA1031 // Any failure to run only makes MACs unknown; the reason is reported, never swallowed.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return new(shapes, OneLine(e.Message), substituted);
        }
        finally
        {
            foreach (var (_, value) in feeds)
            {
                value.Dispose();
            }
        }
    }

    private static Result RunSession(OnnxModel model, List<(string Name, OrtValue Value)> feeds, Dictionary<string, long[]> shapes, List<string> substituted)
    {
        var copy = model.Proto.Clone();
        var declared = copy.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var output in copy.Graph.Node.SelectMany(n => n.Output).Where(o => o.Length > 0 && declared.Add(o)))
        {
            copy.Graph.Output.Add(new ValueInfoProto { Name = output });
        }

        using var folder = model.ExternalDataDirectory is null ? null : new ProbeFolder();
        using var options = new SessionOptions
        {
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
            IntraOpNumThreads = 1,
        };
        using var session = folder is null
            ? new InferenceSession(copy.ToByteArray(), options)
            : new InferenceSession(folder.Write(copy, model.ExternalDataDirectory), options);
        var outputNames = copy.Graph.Output.Select(o => o.Name).ToList();
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, feeds.Select(f => f.Name).ToList(), feeds.Select(f => f.Value).ToList(), outputNames);
        for (var i = 0; i < outputNames.Count; i++)
        {
            if (results[i].OnnxType == OnnxValueType.ONNX_TYPE_TENSOR)
            {
                shapes[outputNames[i]] = results[i].GetTensorTypeAndShape().Shape;
            }
        }

        return new(shapes, null, substituted);
    }

    private static OrtValue? CreateInput(int elementType, long[] dims)
    {
        var count = checked((int)dims.Aggregate(1L, (a, b) => a * b));
        return (DataType)elementType switch
        {
            DataType.Float => OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1f, count).ToArray(), dims),
            DataType.Double => OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1d, count).ToArray(), dims),
            DataType.Float16 => OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat((Float16)1f, count).ToArray(), dims),
            DataType.Bfloat16 => OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat((BFloat16)1f, count).ToArray(), dims),
            DataType.Int8 => OrtValue.CreateTensorValueFromMemory(new sbyte[count], dims),
            DataType.Uint8 => OrtValue.CreateTensorValueFromMemory(new byte[count], dims),
            DataType.Int16 => OrtValue.CreateTensorValueFromMemory(new short[count], dims),
            DataType.Uint16 => OrtValue.CreateTensorValueFromMemory(new ushort[count], dims),
            DataType.Int32 => OrtValue.CreateTensorValueFromMemory(new int[count], dims),
            DataType.Uint32 => OrtValue.CreateTensorValueFromMemory(new uint[count], dims),
            DataType.Int64 => OrtValue.CreateTensorValueFromMemory(new long[count], dims),
            DataType.Uint64 => OrtValue.CreateTensorValueFromMemory(new ulong[count], dims),
            DataType.Bool => OrtValue.CreateTensorValueFromMemory(new bool[count], dims),
            DataType.String => OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, dims),
            _ => null,
        };
    }

    private static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length <= 240 ? line : line[..240] + "...";
    }

    /// <summary>A temporary folder for a probe copy of a model with external data, so ONNX Runtime can find the data.</summary>
    private sealed class ProbeFolder : IDisposable
    {
        private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("edge-inspect-");

        public string Write(ModelProto copy, string? externalDataDirectory)
        {
            var path = Path.Combine(directory.FullName, "probe.onnx");
            OnnxModel.FromProto(copy, externalDataDirectory).Save(path);
            return path;
        }

        public void Dispose() => directory.Delete(recursive: true);
    }
}
