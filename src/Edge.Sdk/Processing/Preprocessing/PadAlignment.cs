using System.Text.Json.Serialization;

namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>Where the scaled image sits inside a letterbox.</summary>
public enum PadAlignment
{
    /// <summary>Centred: padding split evenly on both sides (the left/top side gets the smaller half).</summary>
    [JsonStringEnumMemberName("center")]
    Center,

    /// <summary>Top-left: all padding goes to the right and bottom (YOLOX).</summary>
    [JsonStringEnumMemberName("topLeft")]
    TopLeft,
}
