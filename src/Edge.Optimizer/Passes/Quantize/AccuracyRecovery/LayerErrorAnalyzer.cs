using Edge.Onnx;
using Edge.Optimizer.Calibration;
using Edge.Optimizer.Data;
using Edge.Optimizer.Passes.Quantize.Static;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Optimizer.Passes.Quantize.AccuracyRecovery;

/// <summary>
/// Compares float32 and quantized activations tensor by tensor on calibration samples (like ORT's qdq_loss_debug):
/// both models run with the quantized node outputs exposed, and each tensor's SQNR and cosine similarity are
/// accumulated over every sample. The worst layers come first.
/// </summary>
internal static class LayerErrorAnalyzer
{
    public static IReadOnlyList<LayerError> Analyze(
        OnnxModel floatModel,
        OnnxModel quantizedModel,
        IReadOnlyList<QuantizedTensorInfo> tensors,
        IDataset samples,
        PreprocessSpec? spec,
        int threads,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(samples);
        var names = tensors.Select(t => t.Tensor).Concat(tensors.SelectMany(t => t.Inputs)).Distinct(StringComparer.Ordinal).ToList();
        using var reference = ActivationRunner.Create(floatModel, names, threads);
        using var candidate = ActivationRunner.Create(quantizedModel, names, threads);
        var referenceBuilder = new SampleInputBuilder(reference.Inputs, spec);
        var candidateBuilder = new SampleInputBuilder(candidate.Inputs, spec);
        var sums = names.ToDictionary(n => n, _ => new Sums(), StringComparer.Ordinal);
        var saturations = tensors.Where(t => t.Saturation is not null).ToDictionary(t => t.Tensor, t => t.Saturation!.Value, StringComparer.Ordinal);
        var floatValues = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var sample in samples.Read(cancellationToken))
        {
            reference.Run(referenceBuilder.Build(sample), (name, values) =>
            {
                var copy = values.ToArray();
                if (saturations.TryGetValue(name, out var range))
                {
                    // Values beyond a saturating consumer's range are clipped by design (SaturatingRanges); they are not error.
                    for (var i = 0; i < copy.Length; i++)
                    {
                        copy[i] = Math.Clamp(copy[i], range.Min, range.Max);
                    }
                }

                floatValues[name] = copy;
            });
            candidate.Run(candidateBuilder.Build(sample), (name, values) =>
            {
                if (floatValues.TryGetValue(name, out var expected) && expected.Length == values.Length && sums.TryGetValue(name, out var sum))
                {
                    sum.Add(expected, values);
                }
            });
            floatValues.Clear();
        }

        // Inputs that are not analysed (the model input, float producers) count as exact: capped at the no-noise SQNR.
        double InputSqnr(QuantizedTensorInfo t) =>
            t.Inputs.Select(i => sums.TryGetValue(i, out var input) && input.Signal > 0 ? input.Sqnr : Sums.Exact).DefaultIfEmpty(Sums.Exact).Min();

        return [.. tensors
            .Where(t => sums[t.Tensor].Signal > 0 || sums[t.Tensor].Noise > 0)
            .Select(t => new LayerError(t.Tensor, t.Node, t.OpType, sums[t.Tensor].Sqnr, sums[t.Tensor].Cosine, Math.Min(InputSqnr(t), Sums.Exact) - sums[t.Tensor].Sqnr))
            .OrderBy(e => e.SqnrDecibels)];
    }

    private sealed class Sums
    {
        private double _dot;
        private double _candidatePower;

        public double Signal { get; private set; }

        public double Noise { get; private set; }

        /// <summary>The SQNR reported for values quantization did not touch (float32 carries about 150 dB).</summary>
        public const double Exact = 150;

        public double Sqnr => Noise == 0 ? Exact : Math.Min(Exact, 10 * Math.Log10(Signal / Noise));

        public double Cosine => Signal == 0 || _candidatePower == 0 ? (Signal == _candidatePower ? 1 : 0) : _dot / Math.Sqrt(Signal * _candidatePower);

        public void Add(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
        {
            for (var i = 0; i < expected.Length; i++)
            {
                double x = expected[i], y = actual[i];
                Signal += x * x;
                Noise += (x - y) * (x - y);
                _dot += x * y;
                _candidatePower += y * y;
            }
        }
    }
}
