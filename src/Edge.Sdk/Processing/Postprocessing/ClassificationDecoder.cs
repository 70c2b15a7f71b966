using System.Numerics.Tensors;

namespace Edge.Sdk.Processing.Postprocessing;

/// <summary>Softmax and top-k ranking for classifier outputs.</summary>
public static class ClassificationDecoder
{
    /// <summary>Softmax of <paramref name="logits"/> into <paramref name="probabilities"/> (may be the same span); vectorised and numerically stable.</summary>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        if (logits.IsEmpty || probabilities.Length != logits.Length)
        {
            throw new ArgumentException(
                $"Softmax needs a non-empty input and an output of the same length; got {logits.Length} and {probabilities.Length}.", nameof(probabilities));
        }

        TensorPrimitives.SoftMax(logits, probabilities);
    }

    /// <summary>
    /// Writes the <c>destination.Length</c> highest scores in descending order (ties: lower index first) without allocating.
    /// </summary>
    /// <param name="scores">One score per class.</param>
    /// <param name="destination">Receives the ranking; its length is k.</param>
    /// <param name="labels">Optional labels indexed by class; when given it must have at least one entry per score.</param>
    /// <returns>The number written: min(k, number of scores).</returns>
    public static int TopK(ReadOnlySpan<float> scores, Span<Classification> destination, IReadOnlyList<string>? labels = null)
    {
        if (labels is not null && labels.Count < scores.Length)
        {
            throw new ArgumentException($"There are {labels.Count} labels for {scores.Length} scores; expected at least one label per score.", nameof(labels));
        }

        var count = 0;
        var k = destination.Length;
        for (var i = 0; i < scores.Length; i++)
        {
            var score = scores[i];
            if (count == k && !(score > destination[k - 1].Score))
            {
                continue;
            }

            // Insertion into a sorted window of k: cheap for the small k classifiers use (1..10).
            var position = count < k ? count++ : k - 1;
            while (position > 0 && score > destination[position - 1].Score)
            {
                destination[position] = destination[position - 1];
                position--;
            }

            destination[position] = new Classification(i, labels?[i], score);
        }

        return count;
    }

    /// <summary>Allocating convenience: the <paramref name="k"/> highest scores in descending order.</summary>
    public static Classification[] TopK(ReadOnlySpan<float> scores, int k, IReadOnlyList<string>? labels = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var result = new Classification[Math.Min(k, scores.Length)];
        TopK(scores, result, labels);
        return result;
    }
}
