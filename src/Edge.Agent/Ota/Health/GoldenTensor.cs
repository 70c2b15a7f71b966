namespace Edge.Agent.Ota.Health;

/// <summary>
/// A tensor read from an ONNX <c>TensorProto</c> file: its ONNX data type, dimensions and elements. Exactly one of
/// the typed arrays is set, matching <see cref="DataType"/>.
/// </summary>
internal sealed class GoldenTensor
{
    public const int Float = 1;
    public const int UInt8 = 2;
    public const int Int8 = 3;
    public const int Int32 = 6;
    public const int Int64 = 7;
    public const int Double = 11;

    public required int DataType { get; init; }

    public required long[] Dimensions { get; init; }

    public float[]? Floats { get; init; }

    public double[]? Doubles { get; init; }

    public int[]? Int32s { get; init; }

    public long[]? Int64s { get; init; }

    public byte[]? UInt8s { get; init; }

    public sbyte[]? Int8s { get; init; }

    public long ElementCount => Dimensions.Aggregate(1L, (a, d) => a * d);

    /// <summary>The elements as doubles, for tolerance checks.</summary>
    public double[] ToDoubles() => DataType switch
    {
        Float => Array.ConvertAll(Floats!, v => (double)v),
        Double => Doubles!,
        Int32 => Array.ConvertAll(Int32s!, v => (double)v),
        Int64 => Array.ConvertAll(Int64s!, v => (double)v),
        UInt8 => Array.ConvertAll(UInt8s!, v => (double)v),
        Int8 => Array.ConvertAll(Int8s!, v => (double)v),
        _ => throw new InvalidDataException($"ONNX data type {DataType} is not supported by the health gate."),
    };
}
