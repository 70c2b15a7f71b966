using System.Globalization;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>Scores the channels of every prunable group and chooses which to keep.</summary>
internal static class ChannelSelector
{
    public static ChannelSelection Select(ChannelAnalysis analysis, ChannelSelectionSettings settings)
    {
        var groups = analysis.Groups;
        var keep = new Dictionary<int, int[]>();
        var decisions = new List<ChannelGroupDecision>();
        var candidates = new List<(int Root, double[] Scores, string? Note)>();
        var measured = settings.Criterion == PruneCriterion.Activation && settings.Moments is { } moments ? ActivationScorer.ScoreAll(analysis, moments) : [];
        foreach (var (root, members) in groups.Roots())
        {
            var layers = analysis.Sources.Where(s => groups.Find(s.Group) == root).Select(s => LayerName(s.Node)).ToList();
            var size = groups.Size(root);
            var reason = groups.FrozenReason(root);
            var excluded = layers.FirstOrDefault(settings.ExcludedNodes.Contains);
            reason ??= excluded is null ? null : $"layer '{excluded}' is excluded by --exclude-nodes";
            reason ??= settings.Rejected is { } rejected && rejected.Contains(root) ? "pruning it made the model fail to run in ONNX Runtime" : null;
            reason ??= size <= settings.MinChannels ? $"it has {size} channels, no more than --min-channels {settings.MinChannels}" : null;
            if (reason is not null)
            {
                decisions.Add(new ChannelGroupDecision(root, layers, size, size, Frozen: true, reason));
                continue;
            }

            var (scores, note) = Score(analysis, root, settings.Criterion, measured);
            candidates.Add((root, scores, note));
        }

        var counts = settings.Scope == PruneScope.Global && settings.Ratios is null
            ? GlobalCounts(candidates, settings)
            : candidates.ToDictionary(c => c.Root, c => (int)Math.Round(c.Scores.Length * (settings.Ratios?.GetValueOrDefault(c.Root, settings.Sparsity) ?? settings.Sparsity), MidpointRounding.AwayFromZero));
        var wanted = new Dictionary<int, int>();
        var notes = new Dictionary<int, string?>();
        foreach (var (root, scores, scoreNote) in candidates)
        {
            var kept = scores.Length - counts[root];
            notes[root] = scoreNote;
            if (kept < settings.MinChannels)
            {
                notes[root] = Join(scoreNote, string.Create(CultureInfo.InvariantCulture, $"the cut would leave {kept} channels; clamped to --min-channels {settings.MinChannels}"));
                kept = settings.MinChannels;
            }

            wanted[root] = kept;
        }

        var rounded = RoundToMultiple(candidates.ToDictionary(c => c.Root, c => c.Scores.Length), wanted, ChannelCosts(analysis, wanted.Keys), settings);
        foreach (var (root, scores, _) in candidates)
        {
            var size = scores.Length;
            var kept = rounded[root];
            var layers = analysis.Sources.Where(s => groups.Find(s.Group) == root).Select(s => LayerName(s.Node)).ToList();
            decisions.Add(new ChannelGroupDecision(root, layers, size, kept, Frozen: false, notes[root]));
            if (kept < size)
            {
                // Highest scores survive; ties go to the lower index so the choice is deterministic.
                keep[root] = [.. Enumerable.Range(0, size).OrderByDescending(c => scores[c]).ThenBy(c => c).Take(kept).Order()];
            }
        }

        decisions.Sort((a, b) => a.Root.CompareTo(b.Root));
        return new ChannelSelection(keep, decisions);
    }

    /// <summary>
    /// Rounds kept counts to multiples of <see cref="ChannelSelectionSettings.ChannelMultiple"/> without falling short
    /// of the requested total. ONNX Runtime's CPU convolutions block channels (8 on AVX2, 16 on AVX-512) and take a
    /// layer off the blocked (NCHWc) path, with reorders around it, when its output channels are not a multiple of the
    /// block, so a 16-channel group cut to 8 costs more than it saves. First every group larger than the multiple is
    /// rounded and groups no larger than it stay whole; only when that cannot reach the target do those small groups
    /// get a power-of-two fraction of the multiple (16 -> 8).
    /// </summary>
    private static Dictionary<int, int> RoundToMultiple(Dictionary<int, int> sizes, Dictionary<int, int> wanted, Dictionary<int, double> costs, ChannelSelectionSettings settings)
    {
        if (settings.ChannelMultiple <= 1)
        {
            return new Dictionary<int, int>(wanted);
        }

        var target = wanted.Sum(w => sizes[w.Key] - w.Value);
        var aligned = Round(sizes, wanted, costs, settings, target, smallGroups: false);
        return aligned.Sum(r => sizes[r.Key] - r.Value) >= target ? aligned : Round(sizes, wanted, costs, settings, target, smallGroups: true);
    }

    /// <summary>
    /// Every group starts rounded down, then groups round up while the total cut still reaches
    /// <paramref name="target"/>: those whose channels cost least first (<paramref name="costs"/>: output elements per
    /// channel, so channels at high resolution stay cut and those at low resolution come back), then those closest to
    /// the next multiple. Without <paramref name="smallGroups"/>, groups no larger than the multiple stay whole; with it
    /// they use the largest power-of-two fraction of the multiple that fits.
    /// </summary>
    private static Dictionary<int, int> Round(Dictionary<int, int> sizes, Dictionary<int, int> wanted, Dictionary<int, double> costs, ChannelSelectionSettings settings, int target, bool smallGroups)
    {
        var result = new Dictionary<int, int>(wanted);
        int MultipleFor(int root)
        {
            var m = settings.ChannelMultiple;
            while (m > 1 && m >= sizes[root])
            {
                m /= 2;
            }

            return Math.Max(m, 1);
        }

        bool Small(int root) => sizes[root] <= settings.ChannelMultiple;
        foreach (var (root, kept) in wanted)
        {
            if (Small(root) && !smallGroups)
            {
                result[root] = sizes[root];
                continue;
            }

            var m = MultipleFor(root);
            if (kept < sizes[root])
            {
                var floor = Math.Max(m, (settings.MinChannels + m - 1) / m * m);
                result[root] = Math.Min(sizes[root], Math.Max(floor, kept / m * m));
            }
        }

        var removed = result.Sum(r => sizes[r.Key] - r.Value);
        foreach (var root in wanted.Keys.Where(r => result[r] < sizes[r] && wanted[r] > result[r]).OrderBy(r => costs[r]).ThenByDescending(r => (wanted[r] - result[r]) / (double)MultipleFor(r)).ThenBy(r => r))
        {
            var up = Math.Min(sizes[root], result[root] + MultipleFor(root));
            if (removed - (up - result[root]) >= target)
            {
                removed -= up - result[root];
                result[root] = up;
            }
        }

        return result;
    }

    /// <summary>
    /// Output elements per channel of each group, summed over its source layers (height × width of a convolution's
    /// output; 1 for a dense layer): what keeping one more channel costs in the layers that produce and consume it.
    /// </summary>
    private static Dictionary<int, double> ChannelCosts(ChannelAnalysis analysis, IEnumerable<int> roots)
    {
        var costs = roots.ToDictionary(r => r, _ => 0.0);
        foreach (var source in analysis.Sources)
        {
            var root = analysis.Groups.Find(source.Group);
            if (!costs.ContainsKey(root))
            {
                continue;
            }

            var spatial = 1.0;
            if (source.Node.OpType is "Conv" or "ConvTranspose" && analysis.Shapes.TryGetValue(source.Node.Output[0], out var shape))
            {
                foreach (var dimension in shape.Skip(2))
                {
                    spatial *= Math.Max(1, dimension);
                }
            }

            costs[root] += spatial;
        }

        return costs;
    }

    /// <summary>One ranking over every candidate channel by its score relative to its group's mean.</summary>
    private static Dictionary<int, int> GlobalCounts(List<(int Root, double[] Scores, string? Note)> candidates, ChannelSelectionSettings settings)
    {
        var total = candidates.Sum(c => c.Scores.Length);
        var target = (int)Math.Round(total * settings.Sparsity, MidpointRounding.AwayFromZero);
        var ranked = candidates
            .SelectMany(c =>
            {
                var mean = c.Scores.Average();
                var order = Enumerable.Range(0, c.Scores.Length).OrderBy(i => c.Scores[i]).ToArray();
                return order.Select((channel, rank) => (c.Root, Score: mean > 0 ? c.Scores[channel] / mean : 0, Spread: (rank + 0.5) / order.Length));
            })
            .OrderBy(x => x.Score).ThenBy(x => x.Spread).ThenBy(x => x.Root)
            .ToList();
        var counts = candidates.ToDictionary(c => c.Root, _ => 0);
        var sizes = candidates.ToDictionary(c => c.Root, c => c.Scores.Length);
        var removed = 0;
        foreach (var (root, _, _) in ranked)
        {
            if (removed >= target)
            {
                break;
            }

            if (sizes[root] - counts[root] > Math.Max(1, settings.MinChannels))
            {
                counts[root]++;
                removed++;
            }
        }

        return counts;
    }

    private static (double[] Scores, string? Note) Score(ChannelAnalysis analysis, int root, PruneCriterion criterion, Dictionary<int, double[]> measured)
    {
        if (criterion != PruneCriterion.Activation)
        {
            return Scores(analysis, root, criterion);
        }

        if (measured.TryGetValue(root, out var scores))
        {
            return (scores, null);
        }

        return (Scores(analysis, root, PruneCriterion.L1).Scores, "no Conv or Gemm with calibration statistics reads these channels, so they were ranked by l1");
    }

    private static (double[] Scores, string? Note) Scores(ChannelAnalysis analysis, int root, PruneCriterion criterion)
    {
        var groups = analysis.Groups;
        var size = groups.Size(root);
        var scores = new double[size];
        string? note = null;
        if (criterion == PruneCriterion.BnGamma)
        {
            var gammas = analysis.Gammas.Where(g => groups.Find(g.Group) == root).ToList();
            foreach (var (node, _) in gammas)
            {
                var gamma = analysis.Constants.ReadFloats(node.Input[1]);
                for (var c = 0; c < size; c++)
                {
                    scores[c] += Math.Abs(gamma[c]);
                }
            }

            if (gammas.Count > 0)
            {
                return (scores, null);
            }

            note = "no BatchNormalization follows, so channels were ranked by l1";
        }

        foreach (var source in analysis.Sources.Where(s => groups.Find(s.Group) == root))
        {
            var weight = source.Node.Input[source.WeightInput];
            if (analysis.Constants.UniformValue(weight) is not null)
            {
                continue;
            }

            var dims = analysis.Constants.FloatDims(weight)!;
            var norms = Norms(analysis.Constants.ReadFloats(weight), dims, source.Axis, criterion == PruneCriterion.L2);
            var mean = norms.Average();
            for (var c = 0; c < size; c++)
            {
                // Normalized per layer, so layers with larger weights do not outvote the others in a joined group.
                scores[c] += mean > 0 ? norms[c] / mean : 0;
            }
        }

        return (scores, note);
    }

    private static double[] Norms(float[] values, long[] dims, int axis, bool euclidean)
    {
        var (outer, size, inner) = Surgery.TensorSlicer.Split(dims, axis);
        var norms = new double[size];
        for (var o = 0; o < outer; o++)
        {
            for (var c = 0; c < size; c++)
            {
                var span = values.AsSpan(((o * size) + c) * inner, inner);
                foreach (var v in span)
                {
                    norms[c] += euclidean ? (double)v * v : Math.Abs(v);
                }
            }
        }

        if (euclidean)
        {
            for (var c = 0; c < size; c++)
            {
                norms[c] = Math.Sqrt(norms[c]);
            }
        }

        return norms;
    }

    /// <summary>A layer's name, or its op type and output name when the exporter left it unnamed.</summary>
    public static string LayerName(Onnx.Protobuf.NodeProto node) => node.Name.Length > 0 ? node.Name : $"{node.OpType}({node.Output[0]})";

    private static string Join(string? first, string second) => first is null ? second : $"{first}; {second}";
}
