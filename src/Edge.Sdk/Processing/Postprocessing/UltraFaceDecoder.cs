namespace Edge.Sdk.Processing.Postprocessing;

/// <summary>
/// Decodes UltraFace (Ultra-Light-Fast-Generic-Face-Detector-1MB) outputs. The published ONNX exports
/// (version-RFB-320, -RFB-640, -slim-320, and the simplified RFB-320) end with the SSD prior decoding and softmax inside the
/// graph, so <c>scores</c> [1, N, 2] are already probabilities (background, face) and <c>boxes</c> [1, N, 4] are corner
/// boxes (x1, y1, x2, y2) normalised to 0..1 of the input. This decoder thresholds the face probability and scales the
/// boxes to model-input pixels; run NMS afterwards.
/// </summary>
public static class UltraFaceDecoder
{
    /// <summary>Appends every prior whose face probability reaches <paramref name="scoreThreshold"/>, as class 0.</summary>
    /// <param name="scores">The <c>scores</c> output: N x 2 floats.</param>
    /// <param name="boxes">The <c>boxes</c> output: N x 4 floats.</param>
    /// <param name="inputWidth">Model input width in pixels (320 or 640).</param>
    /// <param name="inputHeight">Model input height in pixels (240 or 480).</param>
    /// <param name="scoreThreshold">Minimum face probability in 0..1 (upstream uses 0.7).</param>
    /// <param name="destination">Receives candidates with boxes in model-input pixels.</param>
    /// <exception cref="ArgumentException">The two outputs disagree on N.</exception>
    public static void Decode(
        ReadOnlySpan<float> scores, ReadOnlySpan<float> boxes, int inputWidth, int inputHeight, float scoreThreshold, List<Detection> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (scores.Length % 2 != 0 || boxes.Length != scores.Length * 2)
        {
            throw new ArgumentException(
                $"UltraFace outputs disagree: scores has {scores.Length} floats (expected N x 2) and boxes {boxes.Length} (expected N x 4).", nameof(boxes));
        }

        var priors = scores.Length / 2;
        for (var i = 0; i < priors; i++)
        {
            var face = scores[(2 * i) + 1];
            if (face < scoreThreshold)
            {
                continue;
            }

            var box = boxes.Slice(4 * i, 4);
            destination.Add(new Detection(
                new BoundingBox(box[0] * inputWidth, box[1] * inputHeight, box[2] * inputWidth, box[3] * inputHeight), 0, face));
        }
    }
}
