namespace Edge.Optimizer.Passes.Quantize.AccuracyRecovery;

/// <summary>How far one quantized activation is from its float32 value over the analysis samples.</summary>
/// <param name="Tensor">The activation's name (the same in both models).</param>
/// <param name="Node">The node that produces it.</param>
/// <param name="OpType">That node's op type.</param>
/// <param name="SqnrDecibels">Signal-to-quantization-noise ratio, 10 log10(sum x^2 / sum (x - q)^2); higher is better, about 6 dB per bit.</param>
/// <param name="Cosine">Cosine similarity of the float and quantized values; 1 is identical direction.</param>
/// <param name="LossDecibels">
/// How much SQNR this layer itself loses: the SQNR of its quantized inputs minus that of its output. Errors accumulate
/// downstream, so the lowest SQNR sits near the output; the largest loss points at the layer that causes it.
/// </param>
internal sealed record LayerError(string Tensor, string Node, string OpType, double SqnrDecibels, double Cosine, double LossDecibels);
