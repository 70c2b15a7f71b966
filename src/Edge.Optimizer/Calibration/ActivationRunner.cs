using Edge.Onnx;
using Edge.Onnx.Protobuf;
using Edge.Optimizer.Data;
using Edge.Sdk.Inference;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Optimizer.Calibration;

/// <summary>
/// Runs a copy of a model whose graph outputs are the tensors to observe (intermediate values included), in ONNX
/// Runtime on the CPU. The input model is never changed. Dispose to release the session and its temporary files.
/// </summary>
internal sealed class ActivationRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _folder;
    private readonly string[] _outputNames;

    private ActivationRunner(InferenceSession session, string folder)
    {
        _session = session;
        _folder = folder;
        _outputNames = [.. session.OutputNames];
        Inputs = [.. session.InputNames.Select(n => new TensorInfo(n, session.InputMetadata[n]))];
        OutputTypes = session.OutputNames.ToDictionary(n => n, n => session.OutputMetadata[n].ElementDataType, StringComparer.Ordinal);
    }

    /// <summary>The model's inputs, in order.</summary>
    public IReadOnlyList<TensorInfo> Inputs { get; }

    /// <summary>Element type of every observed tensor, as ONNX Runtime inferred it.</summary>
    public IReadOnlyDictionary<string, TensorElementType> OutputTypes { get; }

    /// <summary>
    /// Builds the observing copy. Tensors the main graph does not define are ignored; <paramref name="tensors"/> may
    /// include graph inputs (ONNX Runtime returns an input listed as an output as it was fed).
    /// </summary>
    public static ActivationRunner Create(OnnxModel model, IEnumerable<string> tensors, int threads)
    {
        ArgumentNullException.ThrowIfNull(model);
        var copy = model.Proto.Clone();
        var graph = copy.Graph;
        var produced = new HashSet<string>(graph.Node.SelectMany(n => n.Output).Where(o => o.Length > 0), StringComparer.Ordinal);
        var inputs = new HashSet<string>(graph.Input.Select(i => i.Name), StringComparer.Ordinal);
        graph.Output.Clear();
        foreach (var name in tensors.Distinct(StringComparer.Ordinal))
        {
            if (produced.Contains(name) || inputs.Contains(name))
            {
                graph.Output.Add(new ValueInfoProto { Name = name });
            }
        }

        var folder = Directory.CreateTempSubdirectory("edge-calibration-").FullName;
        try
        {
            var path = Path.Combine(folder, "observed.onnx");
            OnnxModel.FromProto(copy, model.ExternalDataDirectory).Save(path);
            using var options = new SessionOptions
            {
                IntraOpNumThreads = threads,
                InterOpNumThreads = 1,
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC,
            };
            return new ActivationRunner(new InferenceSession(path, options), folder);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>Runs one (possibly batched) set of inputs and shows every float output to <paramref name="visit"/>.</summary>
    public void Run(IReadOnlyList<ModelInput> inputs, Action<string, ReadOnlySpan<float>> visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        Run(inputs, (name, values, _) => visit(name, values));
    }

    /// <summary>Runs one (possibly batched) set of inputs and shows every float output, with its shape, to <paramref name="visit"/>.</summary>
    public void Run(IReadOnlyList<ModelInput> inputs, Action<string, ReadOnlySpan<float>, long[]> visit)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(visit);
        var values = new List<OrtValue>(inputs.Count);
        try
        {
            foreach (var tensor in inputs)
            {
                values.Add(tensor.ToOrtValue());
            }

            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, [.. inputs.Select(i => i.Name)], values, _outputNames);
            for (var i = 0; i < _outputNames.Length; i++)
            {
                if (OutputTypes[_outputNames[i]] == TensorElementType.Float)
                {
                    visit(_outputNames[i], outputs[i].GetTensorDataAsSpan<float>(), outputs[i].GetTensorTypeAndShape().Shape);
                }
            }
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // a temp folder left behind is harmless; failing the run over it would not be
        }
    }

}
