using System.Text.Json.Serialization;

namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>Memory layout of the produced tensor. Both have a leading batch dimension of 1.</summary>
public enum TensorLayout
{
    /// <summary>Planar: shape [1, channels, height, width] (PyTorch, ONNX Model Zoo).</summary>
    [JsonStringEnumMemberName("nchw")]
    Nchw,

    /// <summary>Interleaved: shape [1, height, width, channels] (TensorFlow, TFLite).</summary>
    [JsonStringEnumMemberName("nhwc")]
    Nhwc,
}
