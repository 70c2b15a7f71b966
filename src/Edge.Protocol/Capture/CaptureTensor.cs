namespace Edge.Protocol.Capture;

/// <summary>One captured tensor: the model's input or output as the app passed or received it.</summary>
/// <param name="Name">The input or output name in the model graph.</param>
/// <param name="ElementType">
/// The element type: <c>float32</c>, <c>float64</c>, <c>float16</c>, <c>bfloat16</c>, <c>int8</c>, <c>uint8</c>,
/// <c>int16</c>, <c>uint16</c>, <c>int32</c>, <c>uint32</c>, <c>int64</c>, <c>uint64</c> or <c>bool</c>.
/// </param>
/// <param name="Shape">Dimensions, each 0 or more; dynamic axes are resolved from the data length.</param>
/// <param name="Data">The raw elements, little-endian, row-major.</param>
public sealed record CaptureTensor(string Name, string ElementType, IReadOnlyList<long> Shape, byte[] Data)
{
    /// <summary>Bytes per element of <paramref name="elementType"/>, or 0 for a name this format does not know.</summary>
    public static int ElementSize(string elementType) => elementType switch
    {
        "float64" or "int64" or "uint64" => 8,
        "float32" or "int32" or "uint32" => 4,
        "float16" or "bfloat16" or "int16" or "uint16" => 2,
        "int8" or "uint8" or "bool" => 1,
        _ => 0,
    };
}
