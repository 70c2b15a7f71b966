using Edge.Optimizer.Data;
using Edge.Optimizer.Evaluation;
using Edge.Packaging;
using Edge.Sdk.Inference;
using Edge.Sdk.Processing.Postprocessing;
using Edge.Sdk.Processing.Preprocessing;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Optimizer.Drift;

/// <summary>
/// Computes a package's <see cref="PackageDriftReference"/>: runs the model with ONNX Runtime (CPU) over a reference
/// dataset and accumulates, with <see cref="DriftStatistics"/> (the same math the agent's window uses), the
/// per-channel mean and variance of each float input and the histogram of the first output's confidence
/// (<see cref="OutputConfidence"/>). Inputs of other element types are not summarized.
/// </summary>
internal static class DriftReferenceBuilder
{
    /// <summary>Samples used when no count is given.</summary>
    public const int DefaultSamples = 500;

    /// <exception cref="InvalidDataException">The dataset holds no samples, or a float input changes its channel count between samples.</exception>
    public static PackageDriftReference Build(string modelPath, IDataset dataset, PreprocessSpec? preprocess, int maxSamples, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSamples, 1);
        using var session = EdgeSession.Load(modelPath, CpuSessionOptions.For(1)());
        using var request = session.CreateRequest();
        var builder = new SampleInputBuilder(session.Inputs, preprocess);
        var confidence = OutputConfidence.For(session.Inputs[0].Dimensions, session.Outputs[0].Dimensions);
        var moments = new Dictionary<string, InputMoments>(StringComparer.Ordinal);
        var bins = new long[DriftStatistics.ConfidenceBins];
        var samples = 0L;
        foreach (var sample in dataset.Read(cancellationToken))
        {
            var inputs = builder.Build(sample);
            foreach (var input in inputs)
            {
                if (input.ElementType == TensorElementType.Float && input.Data is float[] values)
                {
                    if (!moments.TryGetValue(input.Name, out var accumulator))
                    {
                        accumulator = new InputMoments(DriftStatistics.ChannelCount(input.Shape));
                        moments.Add(input.Name, accumulator);
                    }

                    accumulator.Add(values, input.Shape, sample.Id, input.Name);
                }
            }

            var outputs = ModelEvaluator.RunOnce(request, session, inputs);
            if (confidence.HasConfidence && outputs[0] is { } output && DriftStatistics.ConfidenceBin(confidence.Read(output)) is >= 0 and var bin)
            {
                bins[bin]++;
            }

            if (++samples >= maxSamples)
            {
                break;
            }
        }

        if (samples == 0)
        {
            throw new InvalidDataException($"Reference dataset '{dataset.Spec}' holds no samples in the requested range.");
        }

        var counted = bins.Sum();
        return new PackageDriftReference
        {
            Task = confidence.Task,
            Samples = samples,
            Inputs = [.. session.Inputs.Where(i => moments.ContainsKey(i.Name)).Take(PackageDriftReference.MaxInputs).Select(i => moments[i.Name].ToReference(i.Name))],
            Confidence = !confidence.HasConfidence ? null
                : counted == 0 ? throw new InvalidDataException($"No sample of '{dataset.Spec}' gave the model's output a confidence.")
                : [.. bins.Select(b => (double)b / counted)],
        };
    }

    private sealed class InputMoments(int channels)
    {
        private readonly double[] _sums = new double[channels];
        private readonly double[] _squares = new double[channels];
        private long _count;

        public void Add(float[] values, long[] shape, string sampleId, string inputName)
        {
            if (DriftStatistics.ChannelCount(shape) != _sums.Length)
            {
                throw new InvalidDataException(
                    $"Sample '{sampleId}' gives input '{inputName}' shape [{string.Join(", ", shape)}] with {DriftStatistics.ChannelCount(shape)} channel(s); earlier samples had {_sums.Length}.");
            }

            _count += DriftStatistics.AddChannelMoments(values, shape, _sums, _squares);
        }

        public PackageDriftInput ToReference(string name) => new()
        {
            Name = name,
            Means = [.. _sums.Select(s => s / _count)],
            Variances = [.. _sums.Zip(_squares, (s, q) => DriftStatistics.Variance(s, q, _count))],
        };
    }
}
