using Edge.Sdk.Processing.Postprocessing;

namespace Edge.Agent.Ota.Shadow;

/// <summary>Classifier comparison: the candidate agrees when its top-1 class is the served model's; closeness is the probability it gives that class.</summary>
internal sealed class ClassificationComparer : ShadowComparer
{
    public override string Task => Classification;

    protected override ShadowVerdict CompareSameLength(ReadOnlySpan<float> served, ReadOnlySpan<float> candidate)
    {
        var servedTop = new Classification[1];
        var candidateTop = new Classification[1];
        ClassificationDecoder.TopK(served, servedTop);
        ClassificationDecoder.TopK(candidate, candidateTop);
        if (servedTop[0].ClassIndex == candidateTop[0].ClassIndex)
        {
            return new ShadowVerdict(true, 1, null);
        }

        // Closeness: the probability the candidate gives the served model's class.
        var probabilities = new float[candidate.Length];
        ClassificationDecoder.Softmax(candidate, probabilities);
        var score = probabilities[servedTop[0].ClassIndex];
        return new ShadowVerdict(false, score, $"top-1 {servedTop[0].ClassIndex} (served) vs {candidateTop[0].ClassIndex} (candidate, which gives class {servedTop[0].ClassIndex} p={Format(score)})");
    }
}
