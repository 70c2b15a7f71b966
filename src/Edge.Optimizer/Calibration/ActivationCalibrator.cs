using Edge.Onnx;
using Edge.Optimizer.Data;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Optimizer.Calibration;

/// <summary>
/// Collects activation ranges: runs the model in ONNX Runtime over the calibration set with the tensors exposed as
/// outputs, feeding each value into streaming <see cref="TensorStatistics"/>, so memory does not grow with the
/// number of samples. Samples are stacked into batches when every input has a dynamic first dimension.
/// </summary>
internal static class ActivationCalibrator
{
    public static CalibrationResult Calibrate(
        OnnxModel model,
        IEnumerable<string> tensors,
        IDataset dataset,
        PreprocessSpec? spec,
        CalibrationSettings settings,
        IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(settings);
        if (dataset.Count == 0)
        {
            throw new InvalidDataException($"The calibration set '{dataset.Spec}' has no samples; static quantization needs at least one (100 or more recommended).");
        }

        using var runner = ActivationRunner.Create(model, tensors, settings.Threads);
        var builder = new SampleInputBuilder(runner.Inputs, spec);
        var histogram = settings.Method != CalibrationMethod.MinMax;
        var statistics = new Dictionary<string, TensorStatistics>(StringComparer.Ordinal);
        var batchSize = SampleBatcher.CanBatch(runner.Inputs) ? Math.Max(1, settings.BatchSize) : 1;
        var pending = new List<IReadOnlyList<ModelInput>>(batchSize);
        var done = 0;

        void Flush()
        {
            if (pending.Count == 0)
            {
                return;
            }

            runner.Run(SampleBatcher.Stack(pending), (name, values, shape) =>
            {
                if (!statistics.TryGetValue(name, out var entry))
                {
                    entry = new TensorStatistics(name, histogram);
                    statistics[name] = entry;
                }

                entry.Add(values, shape);
            });
            done += pending.Count;
            pending.Clear();
            progress?.Report(done);
        }

        foreach (var sample in dataset.Read(cancellationToken))
        {
            pending.Add(builder.Build(sample));
            if (pending.Count == batchSize)
            {
                Flush();
            }
        }

        Flush();
        if (done == 0)
        {
            throw new InvalidDataException($"The calibration set '{dataset.Spec}' yielded no samples.");
        }

        var ranges = statistics.Values
            .Where(s => s.Count > 0)
            .ToDictionary(s => s.Name, s => RangeEstimator.Estimate(s, settings.Method, settings.Percentile), StringComparer.Ordinal);
        var channels = statistics.Values
            .Where(s => s.ChannelRanges is not null)
            .ToDictionary(s => s.Name, s => s.ChannelRanges!, StringComparer.Ordinal);
        return new CalibrationResult(ranges, runner.OutputTypes, done) { ChannelRanges = channels };
    }
}
