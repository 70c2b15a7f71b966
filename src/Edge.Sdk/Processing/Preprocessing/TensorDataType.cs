using System.Text.Json.Serialization;

namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>Element type of the produced tensor.</summary>
#pragma warning disable CA1720 // The members deliberately mirror ONNX tensor element type names.
public enum TensorDataType
{
    /// <summary>32-bit float; scale, mean and std are applied.</summary>
    [JsonStringEnumMemberName("float32")]
    Float32,

    /// <summary>16-bit float; computed in float32 and then rounded to the nearest half.</summary>
    [JsonStringEnumMemberName("float16")]
    Float16,

    /// <summary>8-bit unsigned pixel values 0..255 after resize and colour conversion; scale, mean and std must be left at their defaults.</summary>
    [JsonStringEnumMemberName("uint8")]
    UInt8,
}
#pragma warning restore CA1720
