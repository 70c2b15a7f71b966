using Edge.Optimizer.Passes.Prune.Channels;

namespace Edge.Optimizer.Tests.Passes.Prune;

public sealed class BiasCompensationTests
{
    /// <summary>
    /// Two of conv1's eight channels have zero weights and a bias of 3 and 5, so after ReLU they are constant: the
    /// L1 criterion removes exactly those two. With their means folded into conv2's bias, the pruned model must equal
    /// the original; without, conv2's output shifts by weights x (3, 5).
    /// </summary>
    [Fact]
    public void Prune_ConstantChannelsRemovedWithMeans_OutputsEqualTheOriginal()
    {
        var (model, relu) = ConstantChannelModel();
        var prepared = ChannelPruner.Prepare(model, CancellationToken.None);
        var means = new Dictionary<string, InputMoments>(StringComparer.Ordinal) { [relu] = new([3, 5, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4], new double[8]) };

        var compensated = ChannelPruner.Prune(prepared, ChannelEquivalence.Settings(0.25) with { Moments = means });
        var plain = ChannelPruner.Prune(prepared, ChannelEquivalence.Settings(0.25));

        Assert.Equal(6, compensated.Selection.Keep.Values.Single().Length);
        Assert.Equal(["conv2"], compensated.Compensation!.Compensated);
        Assert.Empty(compensated.Compensation.Skipped);
        var original = PruneRunner.Run(model, seed: 3);
        Assert.True(PruneRunner.MaxDifference(original, PruneRunner.Run(compensated.Model, seed: 3)) < 1e-4f);
        Assert.True(PruneRunner.MaxDifference(original, PruneRunner.Run(plain.Model, seed: 3)) > 0.5f);
    }

    [Fact]
    public void Prune_ConsumerWithoutBias_IsReportedAsSkipped()
    {
        var builder = new PruneGraphBuilder();
        var x = builder.Input("x", 1, 3, 6, 6);
        var conv1 = builder.Conv(x, 3, 8, kernel: 1, name: "conv1");
        var relu = builder.Op("Relu", [conv1]);
        var conv2 = builder.Conv(relu, 8, 4, kernel: 1, bias: false, name: "conv2");
        var model = builder.Build(13, conv2);
        var prepared = ChannelPruner.Prepare(model, CancellationToken.None);
        var means = new Dictionary<string, InputMoments>(StringComparer.Ordinal) { [relu] = new([.. Enumerable.Repeat(1.0, 8)], new double[8]) };

        var outcome = ChannelPruner.Prune(prepared, ChannelEquivalence.Settings(0.25) with { Moments = means });

        Assert.Empty(outcome.Compensation!.Compensated);
        Assert.Contains(outcome.Compensation.Skipped, s => s.StartsWith("conv2: its bias is not a constant vector", StringComparison.Ordinal));
    }

    [Fact]
    public void Prepare_AddMissingBiases_ZeroBiasChangesNothingAndTakesTheCompensation()
    {
        var builder = new PruneGraphBuilder();
        var x = builder.Input("x", 1, 3, 6, 6);
        var w1 = new float[8 * 3];
        Array.Fill(w1, 0.75f, 6, 18);
        var conv1 = builder.Op("Conv", [x, builder.Weight([8, 3, 1, 1], w1), builder.Weight([8], [3f, 5f, 0, 0, 0, 0, 0, 0])], "conv1");
        var relu = builder.Op("Relu", [conv1]);
        var conv2 = builder.Op("Conv", [relu, builder.Weight([4, 8, 1, 1])], "conv2");
        var model = builder.Build(13, conv2);
        var means = new Dictionary<string, InputMoments>(StringComparer.Ordinal) { [relu] = new([3, 5, 0, 0, 0, 0, 0, 0], new double[8]) };

        var prepared = ChannelPruner.Prepare(model, CancellationToken.None, addMissingBiases: true);
        var outcome = ChannelPruner.Prune(prepared, ChannelEquivalence.Settings(0.25) with { Moments = means });

        Assert.Equal(3, prepared.Model.Proto.Graph.Node.Single(n => n.Name == "conv2").Input.Count);
        var original = PruneRunner.Run(model, seed: 4);
        Assert.True(PruneRunner.MaxDifference(original, PruneRunner.Run(prepared.Model, seed: 4)) == 0f);
        Assert.Equal(["conv2"], outcome.Compensation!.Compensated);
        Assert.True(PruneRunner.MaxDifference(original, PruneRunner.Run(outcome.Model, seed: 4)) < 1e-4f);
    }

    private static (Edge.Onnx.OnnxModel Model, string Relu) ConstantChannelModel()
    {
        var builder = new PruneGraphBuilder();
        var x = builder.Input("x", 1, 3, 6, 6);
        var random = new Random(5);
        var w1 = new float[8 * 3];
        for (var i = 6; i < w1.Length; i++)
        {
            w1[i] = 0.5f + (float)random.NextDouble();
        }

        var conv1 = builder.Op("Conv", [x, builder.Weight([8, 3, 1, 1], w1), builder.Weight([8], [3f, 5f, 0, 0, 0, 0, 0, 0])], "conv1");
        var relu = builder.Op("Relu", [conv1]);
        var conv2 = builder.Op("Conv", [relu, builder.Weight([4, 8, 1, 1]), builder.Weight([4])], "conv2");
        return (builder.Build(13, conv2), relu);
    }
}
