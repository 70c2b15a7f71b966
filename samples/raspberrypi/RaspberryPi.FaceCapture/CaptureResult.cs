using Edge.Sdk.Processing.Postprocessing;

namespace Edge.Samples.RaspberryPi;

/// <summary>What one button-triggered capture found.</summary>
/// <param name="Index">0-based frame number in the source.</param>
/// <param name="Name">File name (image folder) or <c>stdin#N</c>.</param>
/// <param name="Faces">Faces after NMS, boxes in the frame's pixels, highest score first.</param>
internal sealed record CaptureResult(long Index, string Name, IReadOnlyList<Detection> Faces)
{
    /// <summary>Whether the LED was lit for this capture.</summary>
    public bool LedOn => Faces.Count > 0;
}
