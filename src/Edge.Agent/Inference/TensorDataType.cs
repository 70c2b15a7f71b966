using System.Text.Json;
using Edge.Sdk.Inference;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Agent.Inference;

/// <summary>
/// One Open Inference Protocol tensor data type (<c>FP32</c>, <c>INT64</c>, ...) and the ONNX element type it maps to:
/// how its JSON elements are read into an input and how an output's elements are written.
/// </summary>
internal abstract class TensorDataType
{
    /// <summary>Every data type the endpoint serves. FP16, BF16 and BYTES are not served (no JSON number maps to them exactly).</summary>
    public static readonly IReadOnlyList<TensorDataType> All =
    [
        new TypedTensorDataType<float>("FP32", TensorElementType.Float, static (JsonElement e, out float v) => e.TryGetSingle(out v) && float.IsFinite(v), static (w, v) => WriteFloat(w, v)),
        new TypedTensorDataType<double>("FP64", TensorElementType.Double, static (JsonElement e, out double v) => e.TryGetDouble(out v) && double.IsFinite(v), static (w, v) => WriteFloat(w, v)),
        new TypedTensorDataType<sbyte>("INT8", TensorElementType.Int8, static (JsonElement e, out sbyte v) => e.TryGetSByte(out v), static (w, v) => w.WriteNumberValue(v)),
        new TypedTensorDataType<short>("INT16", TensorElementType.Int16, static (JsonElement e, out short v) => e.TryGetInt16(out v), static (w, v) => w.WriteNumberValue(v)),
        new TypedTensorDataType<int>("INT32", TensorElementType.Int32, static (JsonElement e, out int v) => e.TryGetInt32(out v), static (w, v) => w.WriteNumberValue(v)),
        new TypedTensorDataType<long>("INT64", TensorElementType.Int64, static (JsonElement e, out long v) => e.TryGetInt64(out v), static (w, v) => w.WriteNumberValue(v)),
        new TypedTensorDataType<byte>("UINT8", TensorElementType.UInt8, static (JsonElement e, out byte v) => e.TryGetByte(out v), static (w, v) => w.WriteNumberValue(v)),
        new TypedTensorDataType<ushort>("UINT16", TensorElementType.UInt16, static (JsonElement e, out ushort v) => e.TryGetUInt16(out v), static (w, v) => w.WriteNumberValue(v)),
        new TypedTensorDataType<uint>("UINT32", TensorElementType.UInt32, static (JsonElement e, out uint v) => e.TryGetUInt32(out v), static (w, v) => w.WriteNumberValue(v)),
        new TypedTensorDataType<ulong>("UINT64", TensorElementType.UInt64, static (JsonElement e, out ulong v) => e.TryGetUInt64(out v), static (w, v) => w.WriteNumberValue(v)),
        new TypedTensorDataType<bool>("BOOL", TensorElementType.Bool, ReadBool, static (w, v) => w.WriteBooleanValue(v)),
    ];

    protected TensorDataType(string name, TensorElementType elementType)
    {
        Name = name;
        ElementType = elementType;
    }

    /// <summary>The protocol's name, for example <c>FP32</c>.</summary>
    public string Name { get; }

    public TensorElementType ElementType { get; }

    public static TensorDataType? FromName(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    public static TensorDataType? FromElementType(TensorElementType type) => All.FirstOrDefault(t => t.ElementType == type);

    /// <summary>The protocol name of an ONNX element type, also for types the endpoint cannot serve (for metadata).</summary>
    public static string NameOf(TensorElementType type) => FromElementType(type)?.Name ?? type switch
    {
        TensorElementType.Float16 => "FP16",
        TensorElementType.BFloat16 => "BF16",
        TensorElementType.String => "BYTES",
        _ => type.ToString().ToUpperInvariant(),
    };

    /// <summary>
    /// Reads <paramref name="count"/> elements from <paramref name="data"/>, a flat or nested JSON array, in row-major
    /// order; throws <see cref="InferenceProtocolException"/> naming the input for a wrong element or count.
    /// </summary>
    public abstract InputTensor ReadInput(string name, long[] shape, int count, JsonElement data);

    /// <summary>Writes the output's elements from the last run as a flat JSON array.</summary>
    public abstract void WriteOutput(Utf8JsonWriter writer, InferenceRequest request, string name);

    private static bool ReadBool(JsonElement element, out bool value)
    {
        value = element.ValueKind == JsonValueKind.True;
        return element.ValueKind is JsonValueKind.True or JsonValueKind.False;
    }

    /// <summary>JSON has no NaN or infinity; a non-finite output element is written as null (docs/local-http.md).</summary>
    private static void WriteFloat(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
