namespace Edge.Optimizer.Reports.Charts;

/// <summary>One layer's signal-to-quantization-noise ratio.</summary>
/// <param name="Layer">Node or tensor name, shown as the bar's label.</param>
/// <param name="SqnrDecibels">SQNR in dB; positive infinity means the layer's output did not change at all.</param>
internal sealed record LayerSqnr(string Layer, double SqnrDecibels);
