using Edge.Optimizer.Data;
using Edge.Sdk.Inference;
using Edge.Sdk.Processing.Postprocessing;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Optimizer.Evaluation;

/// <summary>
/// How closely a detector's boxes follow a reference detector's on the same samples, through the SDK's decoders:
/// per sample, both outputs are decoded (score ≥ <see cref="ScoreThreshold"/>, then non-maximum suppression at IoU
/// <see cref="NmsIou"/>), boxes are matched greedily by class and IoU ≥ <see cref="MatchIou"/>, and the sample scores
/// the F1 of the match (2 × matched / (reference boxes + candidate boxes); 1 when neither finds anything). The result is
/// the mean over samples, in [0, 1].
/// </summary>
internal static class DetectionAgreement
{
    public const float ScoreThreshold = 0.3f;
    public const float NmsIou = 0.45f;
    public const float MatchIou = 0.5f;

    public static double Measure(
        string modelPath,
        string referencePath,
        OutputTask task,
        IDataset dataset,
        PreprocessSpec? preprocess,
        Func<EdgeSessionOptions> sessionOptions,
        IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        if (task is not (OutputTask.Yolox or OutputTask.UltraFace))
        {
            throw new ArgumentException($"Box agreement needs a YOLOX or UltraFace model, not {task}.", nameof(task));
        }

        using var model = EdgeSession.Load(modelPath, sessionOptions());
        using var reference = EdgeSession.Load(referencePath, sessionOptions());
        using var modelRequest = model.CreateRequest();
        using var referenceRequest = reference.CreateRequest();
        var modelInputs = new SampleInputBuilder(model.Inputs, preprocess);
        var referenceInputs = new SampleInputBuilder(reference.Inputs, preprocess);
        var (height, width) = InputSize(model);
        var yolox = task == OutputTask.Yolox ? new YoloxDecoder(width, height) : null;
        double sum = 0;
        var done = 0;
        foreach (var sample in dataset.Read(cancellationToken))
        {
            var ours = Decode(ModelEvaluator.RunOnce(modelRequest, model, modelInputs.Build(sample)), yolox, width, height);
            var theirs = Decode(ModelEvaluator.RunOnce(referenceRequest, reference, referenceInputs.Build(sample)), yolox, width, height);
            sum += F1(ours, theirs);
            progress?.Report(++done);
        }

        return done == 0 ? throw new InvalidDataException($"Dataset '{dataset.Spec}' holds no samples in the requested range.") : sum / done;
    }

    /// <summary>The F1 of greedy same-class matching at IoU ≥ <see cref="MatchIou"/>; 1 when both lists are empty.</summary>
    public static double F1(IReadOnlyList<Detection> candidate, IReadOnlyList<Detection> reference)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reference);
        if (candidate.Count == 0 && reference.Count == 0)
        {
            return 1;
        }

        var used = new bool[candidate.Count];
        var matched = 0;
        foreach (var wanted in reference.OrderByDescending(d => d.Score))
        {
            var best = -1;
            var bestIou = MatchIou;
            for (var i = 0; i < candidate.Count; i++)
            {
                if (!used[i] && candidate[i].ClassId == wanted.ClassId && candidate[i].Box.IntersectionOverUnion(wanted.Box) is var iou && iou >= bestIou)
                {
                    best = i;
                    bestIou = iou;
                }
            }

            if (best >= 0)
            {
                used[best] = true;
                matched++;
            }
        }

        return 2.0 * matched / (candidate.Count + reference.Count);
    }

    private static Detection[] Decode(float[]?[] outputs, YoloxDecoder? yolox, int width, int height)
    {
        var found = new List<Detection>();
        if (yolox is not null)
        {
            yolox.Decode(outputs[0] ?? throw new InvalidDataException("The YOLOX output is not float."), ScoreThreshold, found);
        }
        else
        {
            UltraFaceDecoder.Decode(outputs[0] ?? throw new InvalidDataException("The UltraFace scores are not float."), outputs[1] ?? throw new InvalidDataException("The UltraFace boxes are not float."), width, height, ScoreThreshold, found);
        }

        return NonMaxSuppression.Apply(found, new NmsOptions { IouThreshold = NmsIou, ScoreThreshold = ScoreThreshold });
    }

    private static (int Height, int Width) InputSize(EdgeSession session)
    {
        var shape = session.Inputs[0].Dimensions;
        return shape.Count == 4 && shape[2] > 0 && shape[3] > 0
            ? ((int)shape[2], (int)shape[3])
            : throw new InvalidDataException($"Input '{session.Inputs[0].Name}' has shape [{string.Join(",", shape)}]; a detector needs [batch, channels, height, width] with a fixed height and width.");
    }
}
