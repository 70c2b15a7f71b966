using Edge.Optimizer.Data;
using Edge.Sdk.Inference;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Optimizer.Evaluation;

/// <summary>
/// Runs a dataset through a model with the SDK (the same runtime and preprocessing a device uses) and measures
/// top-1/top-5 accuracy where there are labels, and agreement with a reference model (or with outputs stored in the
/// dataset): top-1 agreement of the first output, and maximum and mean absolute error over every output.
/// </summary>
public static class ModelEvaluator
{
    /// <param name="modelPath">The model to evaluate.</param>
    /// <param name="dataset">Samples, read in order.</param>
    /// <param name="preprocess">How images become input; required for image datasets.</param>
    /// <param name="referenceModelPath">A model to compare against (for example the fp32 original), or null.</param>
    /// <param name="sessionOptions">Creates the options for each session (provider, threads).</param>
    /// <param name="progress">Receives the number of samples done so far.</param>
    /// <param name="cancellationToken">Stops between samples.</param>
    public static EvaluationResult Evaluate(
        string modelPath,
        IDataset dataset,
        PreprocessSpec? preprocess,
        string? referenceModelPath,
        Func<EdgeSessionOptions> sessionOptions,
        IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        if (dataset.Count == 0)
        {
            throw new InvalidDataException($"Dataset '{dataset.Spec}' holds no samples in the requested range.");
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var session = EdgeSession.Load(modelPath, sessionOptions());
        using var reference = referenceModelPath is null ? null : EdgeSession.Load(referenceModelPath, sessionOptions());
        using var request = session.CreateRequest();
        using var referenceRequest = reference?.CreateRequest();
        var builder = new SampleInputBuilder(session.Inputs, preprocess);
        var referenceBuilder = reference is null ? null : new SampleInputBuilder(reference.Inputs, preprocess);

        var accuracy = new AccuracyAccumulator();
        var agreement = new AgreementAccumulator();
        string? referenceName = reference is null ? null : Path.GetFileName(referenceModelPath);
        var done = 0;
        foreach (var sample in dataset.Read(cancellationToken))
        {
            var outputs = RunOnce(request, session, builder.Build(sample));
            if (sample.Label is { } label && dataset.HasLabels && outputs[0] is { Length: > 1 } scores)
            {
                accuracy.Add(scores, label);
            }

            IReadOnlyList<float[]?>? expected = null;
            if (reference is not null)
            {
                expected = RunOnce(referenceRequest!, reference, referenceBuilder!.Build(sample));
            }
            else if (sample.ExpectedOutputs is { } stored)
            {
                expected = AlignStored(session, stored, sample.Id);
                referenceName = "stored outputs";
            }

            if (expected is not null)
            {
                Compare(agreement, session, outputs, expected, sample.Id);
            }

            done++;
            progress?.Report(done);
        }

        return new EvaluationResult
        {
            Samples = done,
            Top1 = accuracy.Samples > 0 ? accuracy.Top1 : null,
            Top5 = accuracy.Samples > 0 ? accuracy.Top5 : null,
            ReferenceName = agreement.Samples > 0 ? referenceName : null,
            Top1Agreement = agreement.Samples > 0 ? agreement.Top1Agreement : null,
            MaxAbsoluteError = agreement.Samples > 0 ? agreement.MaxAbsoluteError : null,
            MeanAbsoluteError = agreement.Samples > 0 ? agreement.MeanAbsoluteError : null,
            Duration = System.Diagnostics.Stopwatch.GetElapsedTime(started),
        };
    }

    /// <summary>Binds the inputs, runs once and reads every output as floats (null for outputs that are not float).</summary>
    internal static float[]?[] RunOnce(InferenceRequest request, EdgeSession session, IReadOnlyList<ModelInput> inputs)
    {
        RequestIo.Bind(request, inputs);
        request.Run();
        return [.. session.Outputs.Select(o => RequestIo.ReadFloats(request, o))];
    }

    /// <summary>
    /// The stored outputs in the model's output order: by name when every stored output names one of the model's
    /// outputs (a captured dataset holds only the first), else by position when the counts agree (ONNX test sets).
    /// </summary>
    private static float[]?[] AlignStored(EdgeSession session, IReadOnlyList<Data.SampleTensor> stored, string sampleId)
    {
        var names = session.Outputs.Select(o => o.Name).ToList();
        if (stored.All(t => t.Name is not null && names.Contains(t.Name, StringComparer.Ordinal)))
        {
            var aligned = new float[]?[names.Count];
            foreach (var tensor in stored)
            {
                aligned[names.IndexOf(tensor.Name!)] = TensorConversion.ToFloats(tensor.Data);
            }

            return aligned;
        }

        if (stored.Count == names.Count)
        {
            return [.. stored.Select(t => TensorConversion.ToFloats(t.Data))];
        }

        throw new InvalidDataException(
            $"Sample '{sampleId}': the stored outputs ({string.Join(", ", stored.Select(t => t.Name ?? "unnamed"))}) are not outputs of the model, whose outputs are {string.Join(", ", names)}.");
    }

    private static void Compare(AgreementAccumulator agreement, EdgeSession session, float[]?[] outputs, IReadOnlyList<float[]?> expected, string sampleId)
    {
        if (expected.Count != outputs.Length)
        {
            throw new InvalidDataException($"Sample '{sampleId}': the model has {outputs.Length} outputs but the reference has {expected.Count}.");
        }

        for (var k = 0; k < outputs.Length; k++)
        {
            if (outputs[k] is not { } actual || expected[k] is not { } wanted)
            {
                continue;
            }

            if (k == 0)
            {
                agreement.AddSample(actual, wanted);
            }
            else
            {
                agreement.AddElements(actual, wanted, $"output '{session.Outputs[k].Name}'");
            }
        }
    }
}
