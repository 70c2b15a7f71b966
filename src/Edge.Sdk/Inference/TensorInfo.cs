using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Sdk.Inference;

/// <summary>A model input or output as the model declares it.</summary>
public sealed class TensorInfo
{
    /// <summary>
    /// Describes an input or output from ONNX Runtime's metadata, for tools that hold a bare <see cref="InferenceSession"/>
    /// (the optimizer's calibration); <see cref="EdgeSession"/> builds these itself.
    /// </summary>
    /// <param name="name">The input or output name.</param>
    /// <param name="metadata">ONNX Runtime's metadata for it; read once, not kept.</param>
    public TensorInfo(string name, NodeMetadata metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(metadata);
        Name = name;
        IsTensor = metadata.IsTensor;
        ElementType = metadata.IsTensor ? metadata.ElementDataType : TensorElementType.DataTypeMax;
        ElementClrType = metadata.IsTensor ? metadata.ElementType : typeof(object);
        var dimensions = metadata.IsTensor ? metadata.Dimensions : [];
        var symbols = metadata.IsTensor ? metadata.SymbolicDimensions : [];
        Dimensions = dimensions.Select(d => (long)d).ToArray();
        SymbolicDimensions = dimensions.Select((d, i) => d >= 0 ? null : (i < symbols.Length && symbols[i].Length > 0 ? symbols[i] : null)).ToArray();
        HasStaticShape = IsTensor && Dimensions.All(d => d >= 0);
    }

    /// <summary>The name in the graph.</summary>
    public string Name { get; }

    /// <summary>Whether this is a tensor (rather than a sequence, map or optional).</summary>
    public bool IsTensor { get; }

    /// <summary>The ONNX element type.</summary>
    public TensorElementType ElementType { get; }

    /// <summary>The .NET element type (for example <see cref="float"/>).</summary>
    public Type ElementClrType { get; }

    /// <summary>Declared dimensions; -1 marks a symbolic (dynamic) dimension, which accepts any positive size.</summary>
    public IReadOnlyList<long> Dimensions { get; }

    /// <summary>The symbol of each dynamic dimension (for example "batch_size"), or null for fixed or unnamed ones.</summary>
    public IReadOnlyList<string?> SymbolicDimensions { get; }

    /// <summary>Whether every dimension is fixed.</summary>
    public bool HasStaticShape { get; }

    /// <summary>Shape text such as <c>float[batch_size x 7]</c>.</summary>
    public override string ToString() =>
        $"{ElementTypeName(ElementType)}[{string.Join("x", Dimensions.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : SymbolicDimensions[i] ?? "?"))}]";

    /// <summary>
    /// Whether buffers of <paramref name="clrType"/> can be bound to or read from this tensor: its
    /// <see cref="ElementClrType"/>, and for float16 also <see cref="Half"/> (the same 16 bits; the SDK's preprocessor
    /// writes <see cref="Half"/>).
    /// </summary>
    public bool Accepts(Type clrType) =>
        IsTensor && (clrType == ElementClrType || (ElementType == TensorElementType.Float16 && clrType == typeof(Half)));

    /// <summary>The .NET types <see cref="Accepts"/> takes, for messages ("Half or Float16").</summary>
    internal static string AcceptedClrTypes(TensorInfo info) =>
        info.ElementType == TensorElementType.Float16 ? $"{nameof(Half)} or {info.ElementClrType.Name}" : info.ElementClrType.Name;

    internal static string ElementTypeName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float",
        TensorElementType.Double => "double",
        TensorElementType.Int8 => "int8",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.Int16 => "int16",
        TensorElementType.UInt16 => "uint16",
        TensorElementType.Int32 => "int32",
        TensorElementType.UInt32 => "uint32",
        TensorElementType.Int64 => "int64",
        TensorElementType.UInt64 => "uint64",
        TensorElementType.Bool => "bool",
        TensorElementType.Float16 => "float16",
        TensorElementType.BFloat16 => "bfloat16",
        TensorElementType.String => "string",
        TensorElementType.DataTypeMax => "non-tensor",
        _ => type.ToString(),
    };
}
