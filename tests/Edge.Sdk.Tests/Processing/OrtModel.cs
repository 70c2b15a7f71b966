using Microsoft.ML.OnnxRuntime;

namespace Edge.Sdk.Tests.Processing;

/// <summary>A bare ONNX Runtime session for the accuracy tests: one float input, float outputs copied out.</summary>
internal sealed class OrtModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    public OrtModel(string path)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, IntraOpNumThreads = 1 };
        _session = new InferenceSession(path, options);
        InputName = _session.InputMetadata.Keys.Single();
        InputShape = _session.InputMetadata[InputName].Dimensions;
    }

    public string InputName { get; }

    public int[] InputShape { get; }

    public float[][] Run(float[] input)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(input, InputShape.Select(d => (long)Math.Max(d, 1)).ToArray());
        var outputNames = _session.OutputNames;
        using var outputs = _session.Run(_runOptions, [InputName], [value], outputNames);
        return outputs.Select(o => o.GetTensorDataAsSpan<float>().ToArray()).ToArray();
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
