using Edge.Optimizer.Calibration;
using Edge.Optimizer.Data;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>
/// Measures, on calibration samples run through the prepared (unpruned) model, the mean and variance of every input
/// channel of each Conv and Gemm: the means feed <see cref="BiasCompensation"/>, the variances the
/// activation criterion (<see cref="ActivationScorer"/>).
/// </summary>
internal static class ChannelStatisticsCollector
{
    public static IReadOnlyDictionary<string, InputMoments> Collect(PreparedModel prepared, IDataset samples, PreprocessSpec? spec, int threads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(samples);
        var tensors = prepared.Model.Proto.Graph.Node
            .Where(n => n.OpType is "Conv" or "Gemm" && n.Domain is "" or "ai.onnx" && n.Input.Count > 0 && n.Input[0].Length > 0)
            .Select(n => n.Input[0])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var moments = new Dictionary<string, ChannelMoments>(StringComparer.Ordinal);
        if (tensors.Count == 0)
        {
            return new Dictionary<string, InputMoments>(StringComparer.Ordinal);
        }

        using var runner = ActivationRunner.Create(prepared.Model, tensors, threads);
        var builder = new SampleInputBuilder(runner.Inputs, spec);
        var count = 0;
        foreach (var sample in samples.Read(cancellationToken))
        {
            runner.Run(builder.Build(sample), (name, values, shape) =>
            {
                if (shape.Length < 2)
                {
                    return;
                }

                if (!moments.TryGetValue(name, out var entry))
                {
                    entry = new ChannelMoments((int)shape[1]);
                    moments[name] = entry;
                }

                entry.Add(values, shape);
            });
            count++;
        }

        if (count == 0)
        {
            throw new InvalidDataException($"The calibration set '{samples.Spec}' has no samples; channel statistics need at least one (32 or more recommended).");
        }

        return moments.ToDictionary(p => p.Key, p => new InputMoments(p.Value.Means(), p.Value.Variances()), StringComparer.Ordinal);
    }
}
