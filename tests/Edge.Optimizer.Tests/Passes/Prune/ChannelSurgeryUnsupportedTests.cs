using Edge.Optimizer.Passes.Prune.Channels;
using static Edge.Optimizer.Tests.Passes.Prune.PruneGraphBuilder;

namespace Edge.Optimizer.Tests.Passes.Prune;

/// <summary>Patterns the surgery cannot prove safe: the groups reaching them stay whole, with a reason, and the model still runs.</summary>
public sealed class ChannelSurgeryUnsupportedTests
{
    [Theory]
    [InlineData("grouped-conv", "grouped convolution")]
    [InlineData("softmax-over-channels", "normalizes across the channel axis")]
    [InlineData("reshape-splits-channels", "splits the channel axis")]
    [InlineData("lrn", "not known to keep channels independent")]
    [InlineData("shape", "not known to keep channels independent")]
    [InlineData("add-graph-input", "is not a float constant")]
    [InlineData("slice-with-step", "with a step")]
    public void Prune_UnsupportedConsumer_LeavesGroupWholeWithReason(string pattern, string reason)
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var conv = b.Op("Relu", [b.Conv(x, 3, 8, name: "conv")]);
        var safe = b.Conv(x, 3, 8, name: "safe");
        string consumed = pattern switch
        {
            "grouped-conv" => b.Conv(conv, 8, 4, group: 2),
            "softmax-over-channels" => b.Op("Softmax", [conv], attributes: Attribute("axis", 1)),
            "reshape-splits-channels" => b.Op("Reshape", [b.Op("Reshape", [conv, b.Ints(1, 2, 4, 8, 8)]), b.Ints(1, 8, 8, 8)]),
            "lrn" => b.Op("LRN", [conv], attributes: Attribute("size", 3)),
            "shape" => b.Op("Cast", [b.Op("Shape", [conv])], attributes: Attribute("to", 1)),
            "add-graph-input" => b.Op("Add", [conv, b.Input("z", 1, 8, 8, 8)]),
            _ => b.Op("Slice", [conv, b.Ints(0), b.Ints(8), b.Ints(1), b.Ints(2)]),
        };
        var y = b.Conv(b.Op("Relu", [safe]), 8, 2);
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, consumed, y), ChannelEquivalence.Settings(0.5));
        var frozen = ChannelSurgeryRuleTests.Decision(outcome, "conv");
        Assert.True(frozen.Frozen);
        Assert.Equal(frozen.Channels, frozen.Kept);
        Assert.Contains(reason, frozen.Note, StringComparison.Ordinal);
        Assert.Equal(4, ChannelSurgeryRuleTests.Decision(outcome, "safe").Kept);
    }

    [Fact]
    public void Prune_ChannelsReachingGraphOutput_StayWhole()
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var y = b.Op("Relu", [b.Conv(x, 3, 8, name: "head")]);
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, y), ChannelEquivalence.Settings(0.5));
        Assert.Contains("graph output", ChannelSurgeryRuleTests.Decision(outcome, "head").Note, StringComparison.Ordinal);
        Assert.Empty(outcome.Selection.Keep);
    }
}
