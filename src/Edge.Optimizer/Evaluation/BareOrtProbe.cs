using System.Diagnostics;
using Edge.Optimizer.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Optimizer.Evaluation;

/// <summary>
/// A bare ONNX Runtime session on the CPU, run with pre-created input and output OrtValues: the baseline against
/// which the SDK's own overhead is measured (same model, threads and input).
/// </summary>
internal sealed class BareOrtProbe : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly OrtValue[] _inputs;
    private readonly string[] _outputNames;
    private readonly OrtValue[]? _outputs;

    public BareOrtProbe(string modelPath, int intraOpThreads, IReadOnlyList<ModelInput> inputs)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        _session = new InferenceSession(modelPath, options);
        _inputNames = [.. inputs.Select(i => i.Name)];
        _inputs = [.. inputs.Select(i => i.ToOrtValue())];
        _outputNames = [.. _session.OutputMetadata.Keys];
        var metadata = _session.OutputMetadata.Values.ToList();
        if (metadata.All(m => m.IsTensor && m.Dimensions.All(d => d > 0) && TensorConversion.ClrType(m.ElementDataType) is not null))
        {
            _outputs = [.. metadata.Select(m => new ModelInput("", m.ElementDataType, [.. m.Dimensions.Select(d => (long)d)],
                Array.CreateInstance(TensorConversion.ClrType(m.ElementDataType)!, m.Dimensions.Aggregate(1, (x, y) => x * y))).ToOrtValue())];
        }
    }

    public double RunMilliseconds()
    {
        var started = Stopwatch.GetTimestamp();
        if (_outputs is not null)
        {
            _session.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);
        }
        else
        {
            using var results = _session.Run(_runOptions, _inputNames, _inputs, _outputNames);
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    public void Dispose()
    {
        foreach (var value in _inputs.Concat(_outputs ?? []))
        {
            value.Dispose();
        }

        _runOptions.Dispose();
        _session.Dispose();
    }

}
