using Edge.Optimizer.Passes.Prune;
using Edge.Optimizer.Passes.Prune.Channels;

namespace Edge.Optimizer.Tests.Passes.Prune;

public sealed class ActivationScorerTests
{
    /// <summary>
    /// conv1's channels feed conv2 (1x1). Channel scores must be variance x the squared conv2 weights reading the channel,
    /// so a constant channel scores 0 however large its weights, and the selector removes it first.
    /// </summary>
    [Fact]
    public void ScoreAll_VarianceTimesReadingWeights_ConstantChannelScoresZeroAndGoesFirst()
    {
        var builder = new PruneGraphBuilder();
        var x = builder.Input("x", 1, 3, 5, 5);
        var conv1 = builder.Conv(x, 3, 4, kernel: 1, name: "conv1");
        var w2 = new float[] { 1, 2, 0, 1, 3, 0, 1, 1 }; // [2 outputs, 4 inputs, 1, 1]
        var conv2 = builder.Op("Conv", [conv1, builder.Weight([2, 4, 1, 1], w2), builder.Weight([2])], "conv2");
        var model = builder.Build(13, conv2);
        var prepared = ChannelPruner.Prepare(model, CancellationToken.None);
        var analysis = ChannelAnalyzer.Analyze(prepared.Clone(), prepared.Shapes);
        var moments = new Dictionary<string, InputMoments>(StringComparer.Ordinal) { [conv1] = new([0, 0, 0, 0], [0.5, 0, 2, 1]) };
        var root = analysis.Groups.Find(analysis.Sources.Single(s => s.Node.Name == "conv1").Group);

        var scores = ActivationScorer.ScoreAll(analysis, moments);

        // energies per input: 1+9=10, 4+0=4, 0+1=1, 1+1=2
        Assert.Equal([5.0, 0.0, 2.0, 2.0], scores[root]);
        var settings = ChannelEquivalence.Settings(0.25) with { Criterion = PruneCriterion.Activation, Moments = moments };
        var selection = ChannelSelector.Select(analysis, settings);
        Assert.Equal([0, 2, 3], selection.Keep[root]);
    }

    [Fact]
    public void ScoreAll_NoStatisticsForTheReadingLayer_LeavesTheGroupOut()
    {
        var builder = new PruneGraphBuilder();
        var x = builder.Input("x", 1, 3, 5, 5);
        var conv1 = builder.Conv(x, 3, 4, kernel: 1, name: "conv1");
        var conv2 = builder.Conv(conv1, 4, 2, kernel: 1, name: "conv2");
        var prepared = ChannelPruner.Prepare(builder.Build(13, conv2), CancellationToken.None);
        var analysis = ChannelAnalyzer.Analyze(prepared.Clone(), prepared.Shapes);
        var root = analysis.Groups.Find(analysis.Sources.Single(s => s.Node.Name == "conv1").Group);

        Assert.False(ActivationScorer.ScoreAll(analysis, new Dictionary<string, InputMoments>(StringComparer.Ordinal)).ContainsKey(root));
    }
}
