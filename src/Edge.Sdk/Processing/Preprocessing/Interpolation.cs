using System.Text.Json.Serialization;

namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>Resampling filter used when resizing. All filters use pixel centres (align-corners off) and clamp at the edges.</summary>
public enum Interpolation
{
    /// <summary>Nearest neighbour: cheapest; blocky when enlarging and aliased when shrinking.</summary>
    [JsonStringEnumMemberName("nearest")]
    Nearest,

    /// <summary>Bilinear over the two nearest source pixels per axis (matches OpenCV <c>INTER_LINEAR</c>).</summary>
    [JsonStringEnumMemberName("bilinear")]
    Bilinear,

    /// <summary>Bicubic (Keys, a = -0.75, matching OpenCV <c>INTER_CUBIC</c>) over four source pixels per axis.</summary>
    [JsonStringEnumMemberName("cubic")]
    Cubic,

    /// <summary>
    /// Pixel-area averaging: each output pixel is the mean of the source area it covers, which avoids aliasing when
    /// shrinking a lot (a camera frame to 224 pixels). When enlarging it behaves like bilinear.
    /// </summary>
    [JsonStringEnumMemberName("area")]
    Area,
}
