using Edge.Optimizer.Passes.Distill.Interpreter;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// One optimization step of distillation: the batch, the teacher's tensors for it (from the cache when there is
/// one, otherwise ONNX Runtime on the batch as augmented), the student's forward pass, the loss, backward and the
/// optimizer's step. <see cref="Loss"/> alone serves the thread check.
/// </summary>
internal sealed class TrainingStep(TrainingSetup setup, OnnxTorchModule module, HintAdapters hints, TrainingOptimizer optimizer, TeacherCache? cache)
{
    private readonly Augmenter augmenter = new(setup.Options.Augment);
    private readonly string logits = LogitsLocator.Find(setup.Student);

    /// <summary>The student's values the loss reads: its logits and the student side of every hint.</summary>
    public IReadOnlyList<string> StudentWanted => [logits, .. hints.Pairs.Select(p => p.Student)];

    /// <summary>The loss of the batch <paramref name="indices"/> (augmented when asked) with the current weights.</summary>
    public Tensor Loss(int[] indices)
    {
        var options = setup.Options;
        var x = Batch(setup.Data, indices);
        if (augmenter.Enabled)
        {
            x = augmenter.Apply(x);
        }

        var outputs = module.Forward(new Dictionary<string, Tensor> { [module.InputNames[0]] = x }, StudentWanted.ToList());
        var labels = options.UseLabels || setup.Teacher is null ? Labels(setup.Data, indices) : null;
        if (setup.Teacher is null)
        {
            return DistillationLoss.CrossEntropy(outputs[logits], labels!);
        }

        var teacher = cache?.Gather(indices) ?? TeacherBatch(setup.Teacher, x, setup.Data.SampleShape, indices.Length);
        var loss = DistillationLoss.Compute(outputs[logits], teacher[0], labels, options.Temperature, options.Alpha);
        if (hints.Pairs.Count == 0)
        {
            return loss;
        }

        using var hintWeight = options.HintWeight.ToScalar();
        return loss.Plus(hints.Loss(outputs, teacher.Skip(1).ToList()).mul(hintWeight));
    }

    /// <summary>Trains on one batch at <paramref name="learningRate"/>; returns the batch's loss (non-finite when training diverged).</summary>
    public float Run(int[] indices, double learningRate, bool poison)
    {
        using var scope = torch.NewDisposeScope();
        var loss = Loss(indices);
        if (poison)
        {
            using var nan = float.NaN.ToScalar();
            loss = loss.mul(nan);
        }

        optimizer.ZeroGrad();
        loss.backward();
        optimizer.Step(learningRate);
        return loss.item<float>();
    }

    /// <summary>Sizes the hint projections from one sample of student and teacher (nothing to do without hints).</summary>
    public static void PrepareHints(TrainingSetup setup, OnnxTorchModule module, HintAdapters hints)
    {
        if (hints.Pairs.Count == 0)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        module.eval();
        var x = Batch(setup.Data, [0]);
        var wanted = hints.Pairs.Select(p => p.Student).ToList();
        var student = module.Forward(new Dictionary<string, Tensor> { [module.InputNames[0]] = x }, wanted);
        var teacher = setup.Teacher!.Run(setup.Data.Inputs[0], setup.Data.SampleShape, 1);
        hints.Prepare(
            hints.Pairs.ToDictionary(p => p.Student, p => student[p.Student].shape, StringComparer.Ordinal),
            hints.Pairs.Select((p, i) => (p.Teacher, teacher[i + 1].Shape)).ToDictionary(p => p.Teacher, p => p.Shape, StringComparer.Ordinal));
    }

    private static Tensor Batch(TrainingSet data, int[] indices)
    {
        var size = data.Inputs[0].Length;
        var buffer = new float[size * indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            data.Inputs[indices[i]].CopyTo(buffer, i * size);
        }

        return torch.tensor(buffer, [indices.Length, .. data.SampleShape]);
    }

    private static Tensor Labels(TrainingSet data, int[] indices) =>
        data.Labels is { } labels
            ? torch.tensor(indices.Select(i => (long)labels[i]).ToArray(), [indices.Length])
            : throw new InvalidDataException($"--labels needs a dataset with labels, but '{data.Spec}' has none.");

    private static Tensor[] TeacherBatch(TeacherRunner teacher, Tensor x, long[] sampleShape, int count)
    {
        var results = teacher.Run(x.contiguous().data<float>().ToArray(), sampleShape, count);
        return [.. results.Select(r => torch.tensor(r.Data, r.Shape))];
    }
}
