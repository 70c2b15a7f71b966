using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Optimizer.Passes.Prune;
using Edge.Optimizer.Passes.Prune.Channels;
using Edge.Optimizer.Passes.Prune.Surgery;

namespace Edge.Optimizer.Tests.Passes.Prune;

/// <summary>
/// The key correctness check for channel surgery. In the original model, zero the input slices of every layer that
/// consumes a channel about to be removed: those channels then contribute nothing, which is exactly what removing
/// them does. The surgically pruned model must then give the same outputs as that zeroed original.
/// </summary>
internal static class ChannelEquivalence
{
    public static ChannelSelectionSettings Settings(double sparsity, PruneScope scope = PruneScope.Layer, PruneCriterion criterion = PruneCriterion.L1, int minChannels = 1) =>
        new(sparsity, scope, criterion, minChannels, 1, new HashSet<string>());

    /// <summary>Prunes <paramref name="model"/>, checks it validates and matches the zeroed original, and returns the outcome.</summary>
    public static ChannelPruneOutcome PruneAndCompare(OnnxModel model, ChannelSelectionSettings settings, float tolerance = 1e-4f, float inputScale = 1f)
    {
        var prepared = ChannelPruner.Prepare(model, CancellationToken.None);
        var outcome = ChannelPruner.Prune(prepared, settings);
        Assert.Empty(outcome.Model.Validate());
        var zeroed = Zeroed(prepared, outcome);
        var expected = PruneRunner.Run(zeroed, seed: 11, inputScale);
        var actual = PruneRunner.Run(outcome.Model, seed: 11, inputScale);
        var difference = PruneRunner.MaxDifference(expected, actual);
        Assert.True(difference <= tolerance, $"pruned outputs differ from the zeroed original by {difference}; tolerance {tolerance}");
        return outcome;
    }

    /// <summary>A copy of the prepared model whose consumers ignore the channels <paramref name="outcome"/> removed.</summary>
    public static OnnxModel Zeroed(PreparedModel prepared, ChannelPruneOutcome outcome)
    {
        var copy = prepared.Clone();
        var analysis = ChannelAnalyzer.Analyze(copy, prepared.Shapes);
        IReadOnlyList<int>? KeepOf(int group) => outcome.Selection.KeptOf(analysis.Groups, group);
        foreach (var edit in analysis.Edits.OfType<SliceConstantEdit>().Where(e => e.Role == SliceRole.Sink))
        {
            var removed = edit.Layout.RemovedPositions(KeepOf);
            if (removed.Count == 0)
            {
                continue;
            }

            // Zero a private copy: a weight shared with another layer must stay whole for that layer.
            var shared = copy.Proto.Graph.Initializer.Single(t => t.Name == edit.Node.Input[edit.Input]);
            var tensor = shared.Clone();
            tensor.Name = $"{shared.Name}_zeroed_{copy.Proto.Graph.Initializer.Count}";
            copy.Proto.Graph.Initializer.Add(tensor);
            edit.Node.Input[edit.Input] = tensor.Name;
            var values = TensorData.ReadFloats(tensor, copy.ExternalDataDirectory);
            TensorSlicer.Zero(values, [.. tensor.Dims], edit.Axis, removed);
            TensorData.WriteFloats(tensor, values);
        }

        return copy;
    }
}
