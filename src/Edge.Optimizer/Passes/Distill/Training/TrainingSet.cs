using Edge.Optimizer.Data;
using Edge.Sdk.Inference;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// A dataset held in memory as float input tensors (one input per sample) and optional labels, so that epochs can
/// shuffle it. Sized for distillation sets of thousands of small samples; image sets should be given a range.
/// </summary>
internal sealed class TrainingSet
{
    private TrainingSet(float[][] inputs, long[] sampleShape, int[]? labels, string spec)
    {
        Inputs = inputs;
        SampleShape = sampleShape;
        Labels = labels;
        Spec = spec;
    }

    /// <summary>One flattened input per sample.</summary>
    public float[][] Inputs { get; }

    /// <summary>The shape of one sample without its batch dimension, for example [1, 28, 28].</summary>
    public long[] SampleShape { get; }

    /// <summary>Class labels, or null when the dataset has none.</summary>
    public int[]? Labels { get; }

    public string Spec { get; }

    public int Count => Inputs.Length;

    /// <summary>Reads every sample through the teacher's input description (and the preprocessing spec for images).</summary>
    public static TrainingSet Load(string datasetSpec, IReadOnlyList<TensorInfo> modelInputs, PreprocessSpec? preprocess, CancellationToken cancellationToken)
    {
        if (modelInputs.Count != 1)
        {
            throw new InvalidDataException($"Distillation supports models with one input, but the teacher has {modelInputs.Count} ({string.Join(", ", modelInputs.Select(i => i.Name))}).");
        }

        var dataset = DatasetFactory.Open(datasetSpec);
        if (dataset.Count == 0)
        {
            throw new InvalidDataException($"Dataset '{datasetSpec}' holds no samples in the requested range.");
        }

        var builder = new SampleInputBuilder(modelInputs, preprocess);
        var inputs = new List<float[]>(dataset.Count);
        var labels = new List<int>(dataset.Count);
        long[]? shape = null;
        foreach (var sample in dataset.Read(cancellationToken))
        {
            var input = builder.Build(sample)[0];
            var data = input.Data as float[] ?? throw new InvalidDataException($"The teacher's input '{input.Name}' is {input.ElementType}; distillation needs float input.");
            var sampleShape = input.Shape[0] == 1 ? input.Shape[1..] : input.Shape;
            shape ??= sampleShape;
            if (!shape.SequenceEqual(sampleShape))
            {
                throw new InvalidDataException($"Sample '{sample.Id}' has shape [{string.Join(", ", sampleShape)}] but earlier samples had [{string.Join(", ", shape)}]; training batches need one shape.");
            }

            var bad = Array.FindIndex(data, v => !float.IsFinite(v));
            if (bad >= 0)
            {
                throw new InvalidDataException($"Sample '{sample.Id}' of '{datasetSpec}' holds a non-finite value ({data[bad]}) at element {bad}; training needs finite inputs.");
            }

            inputs.Add(data);
            labels.Add(sample.Label ?? -1);
        }

        var labelled = dataset.HasLabels && labels.All(l => l >= 0);
        return new TrainingSet([.. inputs], shape!, labelled ? [.. labels] : null, datasetSpec);
    }
}
