using System.Globalization;
using Edge.Sdk.Inference;

namespace Edge.Agent.Ota.Shadow;

/// <summary>
/// Compares the served model's and the candidate's answers to one input by the package's task, told from the
/// candidate's signature like the optimizer does: one axis of class scores is a classifier (top-1 agreement, through
/// the SDK's softmax and top-k); a YOLOX head <c>[1, anchors, 5 + classes]</c> whose anchors fit the input size is a
/// detector (boxes decoded with the SDK's decoder and NMS, then matched by class and IoU, and their scores compared);
/// anything else is a raw tensor (largest absolute difference over the served output's largest magnitude).
/// </summary>
internal abstract class ShadowComparer
{
    public const string Classification = "classification";
    public const string Detection = "detection";
    public const string Raw = "raw";

    private static readonly int[] YoloxStrides = [8, 16, 32];

    /// <summary>The task's name as reported (<see cref="Classification"/>, <see cref="Detection"/>, <see cref="Raw"/>).</summary>
    public abstract string Task { get; }

    /// <summary>Picks the comparison for a candidate session's first input and output.</summary>
    public static ShadowComparer For(EdgeSession candidate, double relativeErrorTolerance)
    {
        var output = candidate.Outputs[0].Dimensions;
        var input = candidate.Inputs[0].Dimensions;
        if (output is [_, var anchors, >= 6] && input is [_, _, var height and > 0, var width and > 0]
            && anchors == YoloxStrides.Sum(s => (height / s) * (width / s)))
        {
            return new DetectionComparer((int)width, (int)height);
        }

        var axes = output.Count <= 1 ? output : output.Skip(1).ToList();
        return output.Count >= 1 && axes.Count(d => d != 1) == 1 && axes.All(d => d > 0)
            ? new ClassificationComparer()
            : new RawComparer(relativeErrorTolerance);
    }

    /// <summary>Compares <paramref name="candidate"/> with <paramref name="served"/> (the same length, or a disagreement).</summary>
    public ShadowVerdict Compare(ReadOnlySpan<float> served, ReadOnlySpan<float> candidate) =>
        served.Length != candidate.Length
            ? new ShadowVerdict(false, 0, $"output length {candidate.Length} (candidate) vs {served.Length} (served)")
            : CompareSameLength(served, candidate);

    protected abstract ShadowVerdict CompareSameLength(ReadOnlySpan<float> served, ReadOnlySpan<float> candidate);

    protected static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
