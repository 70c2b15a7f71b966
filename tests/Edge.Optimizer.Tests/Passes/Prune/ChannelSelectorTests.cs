using Edge.Onnx;
using Edge.Optimizer.Passes.Prune;
using Edge.Optimizer.Passes.Prune.Channels;

namespace Edge.Optimizer.Tests.Passes.Prune;

public sealed class ChannelSelectorTests
{
    private static readonly int[] DeadChannels = [1, 4, 6];

    /// <summary>A Conv(3→8) whose channels 1, 4 and 6 have zero weights and bias (dead after Relu), then BatchNorm-free Conv(8→4).</summary>
    private static OnnxModel DeadChannelModel(out string deadLayer)
    {
        var b = new PruneGraphBuilder(seed: 3);
        var x = b.Input("x", 1, 3, 8, 8);
        var random = new Random(5);
        var weights = new float[8 * 3 * 3 * 3];
        var bias = new float[8];
        for (var c = 0; c < 8; c++)
        {
            var dead = DeadChannels.Contains(c);
            bias[c] = dead ? 0 : (float)random.NextDouble();
            for (var i = 0; i < 27; i++)
            {
                weights[(c * 27) + i] = dead ? 0 : (float)(random.NextDouble() * 2 - 1);
            }
        }

        deadLayer = "dead";
        var conv = b.Op("Conv", [x, b.Weight([8, 3, 3, 3], weights), b.Weight([8], bias)], deadLayer, PruneGraphBuilder.Attribute("pads", 1, 1, 1, 1));
        var y = b.Conv(b.Op("Relu", [conv]), 8, 4);
        return b.Build(13, y);
    }

    [Fact]
    public void Prune_ChannelsAlreadyDead_GivesOutputsIdenticalToTheUntouchedOriginal()
    {
        var model = DeadChannelModel(out var layer);
        var prepared = ChannelPruner.Prepare(model, CancellationToken.None);
        var outcome = ChannelPruner.PruneVerified(prepared, ChannelEquivalence.Settings(3.0 / 8), CancellationToken.None);
        var root = ChannelSurgeryRuleTests.Decision(outcome, layer).Root;
        Assert.Equal(Enumerable.Range(0, 8).Except(DeadChannels), outcome.Selection.Keep[root]);
        var difference = PruneRunner.MaxDifference(PruneRunner.Run(model, seed: 2), PruneRunner.Run(outcome.Model, seed: 2));
        Assert.True(difference <= 1e-5f, $"outputs differ by {difference}");
    }

    [Fact]
    public void Select_BnGammaCriterion_KeepsChannelsWithLargestScale()
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        float[] gamma = [0.9f, 0.01f, 0.8f, 0.02f, 0.7f, 0.03f, 0.6f, 0.04f];
        var bn = b.Op("BatchNormalization", [b.Conv(x, 3, 8, name: "conv"), b.Weight([8], gamma), b.Weight([8]), b.Weight([8]), b.Weight([8], offset: 2f)]);
        var y = b.Conv(b.Op("Relu", [bn]), 8, 2);
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, y), ChannelEquivalence.Settings(0.5, criterion: PruneCriterion.BnGamma));
        Assert.Equal([0, 2, 4, 6], outcome.Selection.Keep[ChannelSurgeryRuleTests.Decision(outcome, "conv").Root]);
    }

    [Fact]
    public void Select_GlobalScope_RemovesTheRequestedShareOfAllChannels()
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var first = b.Op("Relu", [b.Conv(x, 3, 16, name: "a")]);
        var second = b.Op("Relu", [b.Conv(first, 16, 8, name: "b")]);
        var y = b.Conv(second, 8, 2);
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, y), ChannelEquivalence.Settings(0.5, PruneScope.Global));
        var pruned = outcome.Selection.Decisions.Where(d => !d.Frozen).ToList();
        Assert.Equal(12, pruned.Sum(d => d.Channels - d.Kept));
    }

    [Fact]
    public void Select_CutBelowMinChannels_ClampsAndSaysSo()
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var y = b.Conv(b.Op("Relu", [b.Conv(x, 3, 8, name: "conv")]), 8, 2);
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, y), ChannelEquivalence.Settings(0.95, minChannels: 3));
        var decision = ChannelSurgeryRuleTests.Decision(outcome, "conv");
        Assert.Equal(3, decision.Kept);
        Assert.Contains("clamped to --min-channels 3", decision.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_ExcludedLayer_IsLeftWhole()
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var y = b.Conv(b.Op("Relu", [b.Conv(x, 3, 8, name: "conv")]), 8, 2);
        var settings = ChannelEquivalence.Settings(0.5) with { ExcludedNodes = new HashSet<string> { "conv" } };
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, y), settings);
        Assert.Contains("--exclude-nodes", ChannelSurgeryRuleTests.Decision(outcome, "conv").Note, StringComparison.Ordinal);
        Assert.Empty(outcome.Selection.Keep);
    }

    [Fact]
    public void Select_ChannelMultiple_RoundsKeptCountsWithoutFallingShortOfTheTarget()
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var first = b.Op("Relu", [b.Conv(x, 3, 32, name: "a")]);
        var second = b.Op("Relu", [b.Conv(first, 32, 48, name: "b")]);
        var y = b.Conv(second, 48, 2);
        var settings = ChannelEquivalence.Settings(0.3) with { ChannelMultiple = 8 };
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, y), settings);
        var pruned = outcome.Selection.Decisions.Where(d => !d.Frozen).ToList();
        Assert.All(pruned, d => Assert.Equal(0, d.Kept % 8));
        Assert.True(pruned.Sum(d => d.Channels - d.Kept) >= Math.Round(0.3 * 32) + Math.Round(0.3 * 48));
    }

    [Fact]
    public void Select_GroupNoLargerThanTheMultiple_StaysWholeWhileLargerGroupsCanReachTheTarget()
    {
        // A 16-channel group cut to 8 leaves ONNX Runtime's 16-channel blocked kernels, so the cut goes to the 64-channel group.
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var small = b.Op("Relu", [b.Conv(x, 3, 16, name: "small")]);
        var large = b.Op("Relu", [b.Conv(small, 16, 64, name: "large")]);
        var y = b.Conv(large, 64, 2);
        var settings = ChannelEquivalence.Settings(0.3) with { ChannelMultiple = 16 };
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, y), settings);
        Assert.Equal(16, ChannelSurgeryRuleTests.Decision(outcome, "small").Kept);
        Assert.Equal(32, ChannelSurgeryRuleTests.Decision(outcome, "large").Kept);
        Assert.True(64 - 32 >= Math.Round(0.3 * 16) + Math.Round(0.3 * 64));
    }

    [Fact]
    public void Select_OnlyGroupsNoLargerThanTheMultiple_UsesAPowerOfTwoFractionOfIt()
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var first = b.Op("Relu", [b.Conv(x, 3, 16, name: "first")]);
        var y = b.Conv(first, 16, 2);
        var settings = ChannelEquivalence.Settings(0.3) with { ChannelMultiple = 16 };
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, y), settings);
        Assert.Equal(8, ChannelSurgeryRuleTests.Decision(outcome, "first").Kept);
    }

    [Fact]
    public void Select_RoundingChoice_KeepsTheCutWhereChannelsCostMost()
    {
        // Both groups want 45 of 64; only one can round up to 48. The 16x16 layer's channels cost 16 times the 4x4 one's.
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 16, 16);
        var high = b.Op("Relu", [b.Conv(x, 3, 64, name: "high")]);
        var pooled = b.Op("MaxPool", [high], null, PruneGraphBuilder.Attribute("kernel_shape", 4, 4), PruneGraphBuilder.Attribute("strides", 4, 4));
        var low = b.Op("Relu", [b.Conv(pooled, 64, 64, name: "low")]);
        var y = b.Conv(low, 64, 2);
        var settings = ChannelEquivalence.Settings(0.3) with { ChannelMultiple = 16 };
        // Two 64-channel layers with unit-range weights give outputs in the tens: compare to 1e-3 (summation order).
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, y), settings, tolerance: 1e-3f);
        Assert.Equal(32, ChannelSurgeryRuleTests.Decision(outcome, "high").Kept);
        Assert.Equal(48, ChannelSurgeryRuleTests.Decision(outcome, "low").Kept);
    }
}
