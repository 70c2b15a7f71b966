using Edge.Onnx;
using Edge.Optimizer.Inspection;
using Edge.Optimizer.Passes.Prune.Surgery;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>
/// Structured channel pruning end to end: prepare (fold, probe shapes), analyze, select, cut, and check the result
/// runs in ONNX Runtime with the original output shapes. If it does not, the groups that break it are found by
/// bisection and left whole, so the caller always gets a working model.
/// </summary>
internal static class ChannelPruner
{
    /// <summary>
    /// Folds constant reshapes and probes every value's shape. With <paramref name="addMissingBiases"/>, layers without
    /// a bias get a zero one first (see <see cref="MissingBiases"/>), for bias compensation.
    /// </summary>
    public static PreparedModel Prepare(OnnxModel original, CancellationToken cancellationToken, bool addMissingBiases = false)
    {
        var model = OnnxModel.FromProto(original.Proto.Clone(), original.ExternalDataDirectory);
        ConstantFolder.Fold(model);
        if (addMissingBiases)
        {
            MissingBiases.Add(model);
        }

        var probe = ShapeProbe.Run(model, cancellationToken);
        if (probe.Failure is not null)
        {
            throw new InvalidDataException($"Channel pruning needs every tensor's shape, but the model could not be run to learn them: {probe.Failure}");
        }

        return new PreparedModel(model, probe.Shapes);
    }

    /// <summary>
    /// Prunes a clone of the prepared model without checking the result. With <see cref="ChannelSelectionSettings.Moments"/>
    /// (input channel statistics from <see cref="ChannelStatisticsCollector"/>), consumers' biases take the removed
    /// channels' mean first.
    /// </summary>
    public static ChannelPruneOutcome Prune(PreparedModel prepared, ChannelSelectionSettings settings)
    {
        var model = prepared.Clone();
        var analysis = ChannelAnalyzer.Analyze(model, prepared.Shapes);
        var selection = ChannelSelector.Select(analysis, settings);
        var compensation = settings.Moments is { } moments ? BiasCompensation.Apply(analysis, selection, moments) : null;
        ChannelSurgeon.Apply(analysis, selection);
        return new ChannelPruneOutcome(model, analysis, selection, []) { Compensation = compensation };
    }

    /// <summary>Prunes and checks the result; groups whose pruning breaks the model are left whole and reported.</summary>
    public static ChannelPruneOutcome PruneVerified(PreparedModel prepared, ChannelSelectionSettings settings, CancellationToken cancellationToken)
    {
        var first = Prune(prepared, settings);
        var failure = Check(first.Model, prepared, cancellationToken);
        if (failure is null)
        {
            return first;
        }

        var candidates = first.Selection.Keep.Keys.Order().ToList();
        var accepted = Accept(candidates, [], candidates, prepared, settings, cancellationToken);
        var rejected = candidates.Except(accepted).ToList();
        var outcome = Prune(prepared, settings with { Rejected = rejected.ToHashSet() });
        var warning = $"Pruning {rejected.Count} channel group(s) made the model fail ({failure}); they were left whole: " +
                      string.Join(", ", rejected.Select(r => first.Analysis.Groups.Origin(r)));
        var recheck = Check(outcome.Model, prepared, cancellationToken);
        return recheck is null
            ? outcome with { Warnings = [warning] }
            : throw new InvalidOperationException($"Channel pruning could not produce a working model: {recheck}");
    }

    /// <summary>Why the pruned model is broken, or <see langword="null"/> when it validates, runs and keeps its output shapes.</summary>
    public static string? Check(OnnxModel model, PreparedModel prepared, CancellationToken cancellationToken)
    {
        var issues = model.Validate();
        if (issues.Count > 0)
        {
            return $"validation: {issues[0].Message}";
        }

        var probe = ShapeProbe.Run(model, cancellationToken);
        if (probe.Failure is not null)
        {
            return $"ONNX Runtime: {probe.Failure}";
        }

        foreach (var output in model.Proto.Graph.Output)
        {
            var before = prepared.Shapes.GetValueOrDefault(output.Name);
            var after = probe.Shapes.GetValueOrDefault(output.Name);
            if (before is null || after is null || !before.SequenceEqual(after))
            {
                return $"output '{output.Name}' has shape [{string.Join(", ", after ?? [])}] instead of [{string.Join(", ", before ?? [])}]";
            }
        }

        return null;
    }

    /// <summary>Adds as many of <paramref name="candidates"/> to <paramref name="accepted"/> as keep the model working, halving on failure.</summary>
    private static List<int> Accept(List<int> candidates, List<int> accepted, List<int> all, PreparedModel prepared, ChannelSelectionSettings settings, CancellationToken cancellationToken)
    {
        if (candidates.Count == 0)
        {
            return accepted;
        }

        var trial = accepted.Concat(candidates).ToList();
        var outcome = Prune(prepared, settings with { Rejected = all.Except(trial).ToHashSet() });
        if (Check(outcome.Model, prepared, cancellationToken) is null)
        {
            return trial;
        }

        if (candidates.Count == 1)
        {
            return accepted;
        }

        var half = candidates.Count / 2;
        accepted = Accept(candidates[..half], accepted, all, prepared, settings, cancellationToken);
        return Accept(candidates[half..], accepted, all, prepared, settings, cancellationToken);
    }
}
