using Edge.Packaging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Sdk.Packaging;

/// <summary>
/// Reads a model's input and output signatures through ONNX Runtime, keeping symbolic dimension names, in the form a
/// package manifest records them (<see cref="PackageManifest.Inputs"/>); <c>edge-optimize pack</c> fills the manifest with it.
/// </summary>
public static class ModelSignatureReader
{
    /// <summary>Loads the model without optimizations and describes its inputs and outputs in declaration order.</summary>
    /// <param name="modelPath">The ONNX model; its external data is resolved relative to it.</param>
    /// <returns>Element types as manifest names (<c>float32</c>...), fixed or symbolic dimensions (<c>?</c> when unnamed).</returns>
    /// <exception cref="Inference.ModelLoadException">ONNX Runtime cannot load the model (its error is the inner exception).</exception>
    public static (IReadOnlyList<PackageTensorSignature> Inputs, IReadOnlyList<PackageTensorSignature> Outputs) Read(string modelPath)
    {
        using var options = new SessionOptions
        {
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
        };
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            // A model ONNX Runtime refuses is bad input to whoever packs it, not a bug of ours.
            throw new Inference.ModelLoadException(modelPath, $"ONNX Runtime cannot load '{modelPath}' to read its inputs and outputs: {e.Message}", e);
        }

        using var owned = session;
        return (Describe(session.InputNames, session.InputMetadata), Describe(session.OutputNames, session.OutputMetadata));
    }

    private static PackageTensorSignature[] Describe(IReadOnlyList<string> names, IReadOnlyDictionary<string, NodeMetadata> metadata) =>
        names.Select(name => Describe(name, metadata[name])).ToArray();

    private static PackageTensorSignature Describe(string name, NodeMetadata node)
    {
        if (node.OnnxValueType != OnnxValueType.ONNX_TYPE_TENSOR)
        {
            var kind = node.OnnxValueType switch
            {
                OnnxValueType.ONNX_TYPE_SEQUENCE => "sequence",
                OnnxValueType.ONNX_TYPE_MAP => "map",
                OnnxValueType.ONNX_TYPE_OPTIONAL => "optional",
                _ => node.OnnxValueType.ToString().ToLowerInvariant(),
            };
            return new PackageTensorSignature { Name = name, ElementType = kind, Shape = [] };
        }

        var symbolic = node.SymbolicDimensions;
        var shape = new PackageDimension[node.Dimensions.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            // ORT reports -1 for dynamic dimensions; the symbolic name, when the graph gives one, is in SymbolicDimensions.
            shape[i] = node.Dimensions[i] >= 0
                ? PackageDimension.Fixed(node.Dimensions[i])
                : PackageDimension.Symbolic(i < symbolic.Length && !string.IsNullOrEmpty(symbolic[i]) ? symbolic[i] : "?");
        }

        return new PackageTensorSignature { Name = name, ElementType = ElementTypeName(node.ElementDataType), Shape = shape };
    }

    private static string ElementTypeName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.BFloat16 => "bfloat16",
        TensorElementType.Double => "float64",
        TensorElementType.Int8 => "int8",
        TensorElementType.Int16 => "int16",
        TensorElementType.Int32 => "int32",
        TensorElementType.Int64 => "int64",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.UInt16 => "uint16",
        TensorElementType.UInt32 => "uint32",
        TensorElementType.UInt64 => "uint64",
        TensorElementType.Bool => "bool",
        TensorElementType.String => "string",
        _ => type.ToString().ToLowerInvariant(),
    };
}
