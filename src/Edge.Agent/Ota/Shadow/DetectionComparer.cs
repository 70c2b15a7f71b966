using System.Globalization;
using Edge.Sdk.Processing.Postprocessing;

namespace Edge.Agent.Ota.Shadow;

/// <summary>
/// Detector comparison: both YOLOX outputs decoded (score ≥ <see cref="ScoreThreshold"/>, then class-aware NMS at IoU
/// <see cref="NmsIou"/>), boxes matched greedily by class and IoU ≥ <see cref="MatchIou"/>. A sample agrees when every
/// box of each side is matched and no matched pair's scores differ by more than <see cref="MaxScoreDifference"/>; its
/// closeness score is the F1 of the match (1 when neither finds anything).
/// </summary>
internal sealed class DetectionComparer(int width, int height) : ShadowComparer
{
    public const float ScoreThreshold = 0.3f;
    public const float NmsIou = 0.45f;
    public const float MatchIou = 0.5f;
    public const float MaxScoreDifference = 0.1f;

    private static readonly NmsOptions Nms = new() { IouThreshold = NmsIou, ScoreThreshold = ScoreThreshold };
    private readonly YoloxDecoder _decoder = new(width, height);

    public override string Task => Detection;

    protected override ShadowVerdict CompareSameLength(ReadOnlySpan<float> served, ReadOnlySpan<float> candidate)
    {
        var servedBoxes = Decode(served);
        var candidateBoxes = Decode(candidate);
        if (servedBoxes.Length == 0 && candidateBoxes.Length == 0)
        {
            return new ShadowVerdict(true, 1, null);
        }

        var used = new bool[candidateBoxes.Length];
        var matched = 0;
        var worstScoreDifference = 0f;
        foreach (var box in servedBoxes)
        {
            var best = -1;
            var bestIou = MatchIou;
            for (var i = 0; i < candidateBoxes.Length; i++)
            {
                var iou = candidateBoxes[i].ClassId == box.ClassId && !used[i] ? box.Box.IntersectionOverUnion(candidateBoxes[i].Box) : 0;
                if (iou >= bestIou)
                {
                    (best, bestIou) = (i, iou);
                }
            }

            if (best >= 0)
            {
                used[best] = true;
                matched++;
                worstScoreDifference = MathF.Max(worstScoreDifference, MathF.Abs(box.Score - candidateBoxes[best].Score));
            }
        }

        var f1 = 2.0 * matched / (servedBoxes.Length + candidateBoxes.Length);
        var agrees = matched == servedBoxes.Length && matched == candidateBoxes.Length && worstScoreDifference <= MaxScoreDifference;
        return agrees
            ? new ShadowVerdict(true, f1, null)
            : new ShadowVerdict(false, f1, string.Create(CultureInfo.InvariantCulture, $"{matched} of {servedBoxes.Length} served and {candidateBoxes.Length} candidate boxes matched (IoU ≥ {MatchIou}), largest score difference {worstScoreDifference:G3}"));
    }

    private Detection[] Decode(ReadOnlySpan<float> output)
    {
        var found = new List<Detection>();
        _decoder.Decode(output, ScoreThreshold, found);
        return NonMaxSuppression.Apply(found, Nms);
    }
}
