using System.Text.Json.Serialization;

namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>How the source image is fitted to the model's <see cref="PreprocessSpec.Width"/> x <see cref="PreprocessSpec.Height"/>.</summary>
public enum ResizeMode
{
    /// <summary>Stretch both axes independently to the target size; the aspect ratio is not kept.</summary>
    [JsonStringEnumMemberName("stretch")]
    Stretch,

    /// <summary>
    /// Scale so the shorter side equals <see cref="PreprocessSpec.ShorterSide"/> (aspect ratio kept), then take the
    /// centre <see cref="PreprocessSpec.Width"/> x <see cref="PreprocessSpec.Height"/> crop (the classic "resize 256, crop 224").
    /// </summary>
    [JsonStringEnumMemberName("shorterSideCrop")]
    ShorterSideCrop,

    /// <summary>
    /// Scale so the whole image fits inside the target (aspect ratio kept) and fill the rest with
    /// <see cref="PreprocessSpec.PadValue"/>, placed according to <see cref="PreprocessSpec.Alignment"/>.
    /// </summary>
    [JsonStringEnumMemberName("letterbox")]
    Letterbox,
}
