using Edge.Onnx;
using Edge.Onnx.Graph;

namespace Edge.Optimizer.Passes.Prune.Magnitude;

/// <summary>
/// Unstructured magnitude pruning: zeroes exactly round(sparsity x n) of the smallest-magnitude weights, per layer or
/// over all targeted layers together. Dense kernels still multiply the zeros, so this pays in compressed size only.
/// </summary>
internal static class MagnitudePruner
{
    /// <summary>The layers magnitude pruning would change, with their weight counts (for sensitivity analysis).</summary>
    public static List<(string Name, long Size)> Targets(OnnxModel model, bool includeFirstLast, IReadOnlySet<string> excluded)
    {
        var (layers, _) = WeightLayerFinder.Find(model);
        return [.. layers.Where((layer, i) => ExclusionReason(layer, i, layers.Count, includeFirstLast, excluded) is null)
            .Select(layer => (layer.Name, layer.Weight.Dims.Aggregate(1L, (a, b) => a * b)))];
    }

    /// <summary>
    /// Prunes <paramref name="model"/> in place and returns a row per layer (pruned or skipped). With
    /// <paramref name="ratios"/>, each named layer gets its own ratio and every other layer is left whole.
    /// </summary>
    public static List<LayerSparsity> Prune(OnnxModel model, double sparsity, PruneScope scope, bool includeFirstLast, IReadOnlySet<string> excluded,
        IReadOnlyDictionary<string, double>? ratios = null)
    {
        var (layers, skipped) = WeightLayerFinder.Find(model);
        var rows = skipped.Select(s => new LayerSparsity(s.Name, "", 0, 0, 0, s.Reason)).ToList();
        var targets = new List<(WeightLayer Layer, float[] Values)>();
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var values = TensorData.ReadFloats(layer.Weight, model.ExternalDataDirectory);
            var reason = ExclusionReason(layer, i, layers.Count, includeFirstLast, excluded);
            if (reason is not null)
            {
                var zeros = CountZeros(values);
                rows.Add(new LayerSparsity(layer.Name, layer.Node.OpType, values.Length, zeros, zeros, reason));
                continue;
            }

            targets.Add((layer, values));
        }

        if (targets.Count == 0)
        {
            throw new InvalidDataException($"The model has nothing to prune: no Conv, Gemm or MatMul layer with a stored float weight remains after exclusions ({rows.Count} layer(s) skipped).");
        }

        if (scope == PruneScope.Global && ratios is null)
        {
            var total = targets.Sum(t => (long)t.Values.Length);
            var magnitudes = new float[total];
            long offset = 0;
            foreach (var (_, values) in targets)
            {
                for (var i = 0; i < values.Length; i++)
                {
                    magnitudes[offset + i] = Math.Abs(values[i]);
                }

                offset += values.Length;
            }

            var count = (long)Math.Round(total * sparsity, MidpointRounding.AwayFromZero);
            var (threshold, atThreshold) = Threshold(magnitudes, count);
            foreach (var (layer, values) in targets)
            {
                var before = CountZeros(values);
                atThreshold -= ZeroBelow(values, threshold, atThreshold);
                TensorData.WriteFloats(layer.Weight, values);
                rows.Add(new LayerSparsity(layer.Name, layer.Node.OpType, values.Length, before, CountZeros(values), null));
            }
        }
        else
        {
            foreach (var (layer, values) in targets)
            {
                var before = CountZeros(values);
                var ratio = ratios is null ? sparsity : ratios.GetValueOrDefault(layer.Name);
                var count = (long)Math.Round(values.Length * ratio, MidpointRounding.AwayFromZero);
                var (threshold, atThreshold) = Threshold([.. values.Select(Math.Abs)], count);
                ZeroBelow(values, threshold, atThreshold);
                TensorData.WriteFloats(layer.Weight, values);
                rows.Add(new LayerSparsity(layer.Name, layer.Node.OpType, values.Length, before, CountZeros(values), null));
            }
        }

        return rows;
    }

    private static string? ExclusionReason(WeightLayer layer, int index, int count, bool includeFirstLast, IReadOnlySet<string> excluded) =>
        excluded.Contains(layer.Name) ? "excluded by --exclude-nodes"
        : !includeFirstLast && index == 0 ? "first layer (excluded by --skip-first-last)"
        : !includeFirstLast && index == count - 1 ? "last layer (excluded by --skip-first-last)"
        : null;

    public static long CountZeros(ReadOnlySpan<float> values)
    {
        long zeros = 0;
        foreach (var v in values)
        {
            if (v == 0f)
            {
                zeros++;
            }
        }

        return zeros;
    }

    /// <summary>
    /// The magnitude below which every weight goes, and how many weights exactly at it also go, so that exactly
    /// <paramref name="count"/> weights are zeroed even when many share one magnitude.
    /// </summary>
    private static (float Threshold, long AtThreshold) Threshold(float[] magnitudes, long count)
    {
        if (count <= 0)
        {
            return (0f, 0);
        }

        Array.Sort(magnitudes);
        var threshold = magnitudes[count - 1];
        var below = Array.BinarySearch(magnitudes, threshold);
        while (below > 0 && magnitudes[below - 1] == threshold)
        {
            below--;
        }

        return (threshold, count - below);
    }

    /// <summary>Zeroes weights below the threshold and the first <paramref name="atThreshold"/> equal to it; returns how many equal ones it zeroed.</summary>
    private static long ZeroBelow(float[] values, float threshold, long atThreshold)
    {
        long used = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var magnitude = Math.Abs(values[i]);
            if (magnitude < threshold)
            {
                values[i] = 0f;
            }
            else if (magnitude == threshold && used < atThreshold)
            {
                values[i] = 0f;
                used++;
            }
        }

        return used;
    }
}
