namespace Edge.Sdk.Processing.Postprocessing;

/// <summary>One detected object.</summary>
/// <param name="Box">The box, in the coordinate space of the decoder's input (map with <see cref="Preprocessing.ImageTransform.ToSource(BoundingBox)"/>).</param>
/// <param name="ClassId">Class index, from 0 (COCO for YOLOX; 0 = face for UltraFace).</param>
/// <param name="Score">Confidence in 0..1.</param>
public readonly record struct Detection(BoundingBox Box, int ClassId, float Score);
