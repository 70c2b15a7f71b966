using Edge.Sdk.Processing.Postprocessing;

namespace Edge.Samples.Jetson;

/// <summary>What the detector made of one frame.</summary>
/// <param name="Index">0-based frame number.</param>
/// <param name="Name">File name (image folder) or <c>stdin#N</c>.</param>
/// <param name="Detections">Detections after NMS, boxes in the frame's pixels, highest score first.</param>
/// <param name="TargetFound">Whether the target class was among them, which drove the pin high.</param>
internal sealed record FrameResult(long Index, string Name, IReadOnlyList<Detection> Detections, bool TargetFound);
