using System.Text.Json.Serialization;

namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>Channel order (and count) of the tensor the model expects.</summary>
public enum ColorOrder
{
    /// <summary>Three channels: red, green, blue.</summary>
    [JsonStringEnumMemberName("rgb")]
    Rgb,

    /// <summary>Three channels: blue, green, red (Caffe and OpenCV-trained models).</summary>
    [JsonStringEnumMemberName("bgr")]
    Bgr,

    /// <summary>One channel: luma Y = 0.299 R + 0.587 G + 0.114 B (BT.601 weights).</summary>
    [JsonStringEnumMemberName("grayscale")]
    Grayscale,
}
