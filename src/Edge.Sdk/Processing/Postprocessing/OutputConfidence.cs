namespace Edge.Sdk.Processing.Postprocessing;

/// <summary>
/// Reads one confidence figure from a model's first output, by the model's task, told from its first input's and
/// output's dimensions like the optimizer's evaluation and the agent's shadow comparison do: a YOLOX head
/// <c>[1, anchors, 5 + classes]</c> whose anchors fit the input size is a detector (the confidence is the highest box
/// score, objectness × class probability, through <see cref="YoloxDecoder"/>; boxes under
/// <see cref="MinimumDetectionScore"/> count as 0); one axis of class scores is a classifier (the top-1 probability:
/// the scores themselves when they already are probabilities, every one in [0, 1] and summing to 1 within
/// <see cref="ProbabilityTolerance"/>, otherwise the largest softmax probability); anything else is raw and has no confidence.
/// Used for drift statistics (docs/agent.md, "Drift"). Not thread-safe: it reuses scratch buffers; use one per thread.
/// </summary>
public sealed class OutputConfidence
{
    /// <summary>Box scores below this are not decoded and count as a confidence of 0.</summary>
    public const float MinimumDetectionScore = 0.01f;

    /// <summary>How far from 1 class scores may sum and still be read as probabilities.</summary>
    public const double ProbabilityTolerance = 1e-3;

    private static readonly int[] YoloxStrides = [8, 16, 32];
    private readonly YoloxDecoder? _decoder;
    private readonly List<Detection> _detections = [];

    private OutputConfidence(string task, YoloxDecoder? decoder)
    {
        Task = task;
        _decoder = decoder;
    }

    /// <summary>The task: <c>classification</c>, <c>detection</c> or <c>raw</c> (the names of <c>Edge.Packaging.DriftStatistics</c>).</summary>
    public string Task { get; }

    /// <summary>Whether the task has a confidence (not raw).</summary>
    public bool HasConfidence => Task != "raw";

    /// <summary>Picks the task from the first input's and first output's dimensions (dynamic ones negative).</summary>
    public static OutputConfidence For(IReadOnlyList<long> inputDimensions, IReadOnlyList<long> outputDimensions)
    {
        ArgumentNullException.ThrowIfNull(inputDimensions);
        ArgumentNullException.ThrowIfNull(outputDimensions);
        if (outputDimensions is [_, var anchors, >= 6] && inputDimensions is [_, _, var height and > 0, var width and > 0]
            && anchors == YoloxStrides.Sum(s => (height / s) * (width / s)))
        {
            return new OutputConfidence("detection", new YoloxDecoder((int)width, (int)height));
        }

        var axes = outputDimensions.Count <= 1 ? outputDimensions : outputDimensions.Skip(1).ToList();
        return outputDimensions.Count >= 1 && axes.Count(d => d != 1) == 1 && axes.All(d => d > 0)
            ? new OutputConfidence("classification", null)
            : new OutputConfidence("raw", null);
    }

    /// <summary>The confidence of one sample's output, in [0, 1]; NaN for a raw task or an empty output.</summary>
    /// <exception cref="ArgumentException">A detector's output does not fit its anchor grid.</exception>
    public double Read(ReadOnlySpan<float> output)
    {
        if (Task == "detection")
        {
            _detections.Clear();
            _decoder!.Decode(output, MinimumDetectionScore, _detections);
            var best = 0f;
            foreach (var detection in _detections)
            {
                best = MathF.Max(best, detection.Score);
            }

            return best;
        }

        return Task == "classification" && output.Length > 0 ? TopProbability(output) : double.NaN;
    }

    private static double TopProbability(ReadOnlySpan<float> scores)
    {
        var sum = 0.0;
        var top = float.NegativeInfinity;
        var probabilities = true;
        foreach (var score in scores)
        {
            probabilities &= score is >= 0 and <= 1;
            sum += score;
            top = MathF.Max(top, score);
        }

        if (probabilities && Math.Abs(sum - 1) <= ProbabilityTolerance)
        {
            return top;
        }

        // The top class's softmax probability is 1 / Σ exp(x − max): stable for any logit magnitude.
        var denominator = 0.0;
        foreach (var score in scores)
        {
            denominator += Math.Exp((double)score - top);
        }

        return 1 / denominator;
    }
}
