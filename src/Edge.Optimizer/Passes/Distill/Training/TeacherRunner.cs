using Edge.Onnx;
using Edge.Onnx.Protobuf;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// Runs the teacher in ONNX Runtime and returns the tensors distillation needs (its logits and any hint tensors),
/// one batch at a time. A teacher exported with a fixed batch of one is run sample by sample. Owns its session.
/// </summary>
internal sealed class TeacherRunner : IDisposable
{
    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly bool fixedBatchOfOne;

    public TeacherRunner(OnnxModel teacher, IReadOnlyList<string> wanted, int threads)
    {
        var proto = teacher.Proto.Clone();
        foreach (var name in wanted.Where(w => proto.Graph.Output.All(o => o.Name != w)))
        {
            proto.Graph.Output.Add(new ValueInfoProto { Name = name });
        }

        Outputs = wanted;
        var initializers = proto.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var input = proto.Graph.Input.First(i => !initializers.Contains(i.Name));
        inputName = input.Name;
        var firstDim = input.Type?.TensorType?.Shape?.Dim.FirstOrDefault();
        fixedBatchOfOne = firstDim is { DimValue: 1 };
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, IntraOpNumThreads = threads };

        // ONNX Runtime's workers spin for a while after each run by default; between teacher batches they would
        // compete for the cores with libtorch's OpenMP team, so they sleep instead.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        var hasExternalData = proto.Graph.Initializer.Any(t => t.HasDataLocation && t.DataLocation == TensorProto.Types.DataLocation.External);
        if (teacher.ExternalDataDirectory is null || !hasExternalData)
        {
            session = new InferenceSession(proto.ToByteArray(), options);
        }
        else
        {
            // External data is resolved relative to the model file, so the edited teacher is written next to it
            // for as long as ONNX Runtime takes to load it, under a name no other runner (thread or process) uses.
            var path = Path.Combine(teacher.ExternalDataDirectory, $".edge-teacher-{Environment.ProcessId}-{Guid.NewGuid():N}.onnx");
            File.WriteAllBytes(path, proto.ToByteArray());
            try
            {
                session = new InferenceSession(path, options);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>The tensors returned by <see cref="Run"/>, in order.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>Runs <paramref name="count"/> samples laid end to end in <paramref name="batch"/>; returns each output flattened, batch first.</summary>
    public (float[] Data, long[] Shape)[] Run(float[] batch, long[] sampleShape, int count)
    {
        if (!fixedBatchOfOne || count == 1)
        {
            return RunOnce(batch, [count, .. sampleShape]);
        }

        var sampleSize = batch.Length / count;
        var parts = new List<(float[] Data, long[] Shape)[]>(count);
        for (var i = 0; i < count; i++)
        {
            parts.Add(RunOnce(batch[(i * sampleSize)..((i + 1) * sampleSize)], [1, .. sampleShape]));
        }

        return [.. Enumerable.Range(0, Outputs.Count).Select(o =>
            (parts.SelectMany(p => p[o].Data).ToArray(), (long[])[count, .. parts[0][o].Shape[1..]]))];
    }

    public void Dispose() => session.Dispose();

    private (float[] Data, long[] Shape)[] RunOnce(float[] data, long[] shape)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [inputName], [input], Outputs);
        return [.. results.Select(r => (r.GetTensorDataAsSpan<float>().ToArray(), r.GetTensorTypeAndShape().Shape))];
    }
}
