using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using Edge.Optimizer.Calibration;
using Edge.Optimizer.Passes.Quantize.Static;

namespace Edge.Optimizer.Tests.Passes.Quantize;

public sealed class StarvedChannelsTests
{
    [Fact]
    public void Find_OneLoudChannelAmongQuietOnes_KeepsProducerAndConsumersFloat()
    {
        var graph = Chain();
        var channels = new Dictionary<string, ChannelRanges>(StringComparer.Ordinal) { ["y"] = Channels(94.6f, 0.15f, 0.2f, 0.3f, 40f, 0.1f, 0.15f, 0.12f) };

        var found = StarvedChannels.Find(graph, Ranges(("y", 0f, 94.6f)), channels);

        Assert.Equal(["conv1", "conv2", "sig"], found.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("tensor 'y' stays float", found["conv1"], StringComparison.Ordinal);
        Assert.Contains("8 varying channels", found["conv1"], StringComparison.Ordinal);
    }

    [Fact]
    public void Find_ChannelsWithinAFewTimesOfEachOther_KeepsEverythingQuantized()
    {
        var graph = Chain();
        var channels = new Dictionary<string, ChannelRanges>(StringComparer.Ordinal) { ["y"] = Channels(6f, 2f, 3f, 1.5f, 4f, 5f, 2.5f, 3f) };

        var found = StarvedChannels.Find(graph, Ranges(("y", 0f, 6f)), channels);

        Assert.Empty(found);
    }

    [Fact]
    public void Find_QuietChannelsWithThirteenLevels_PassTheDefaultButNotAThresholdOfSixteen()
    {
        var graph = Chain();
        // A quarter of the channels span 0.3 of a [0, 6] scale: 12.75 of 256 levels.
        var channels = new Dictionary<string, ChannelRanges>(StringComparer.Ordinal) { ["y"] = Channels(6f, 0.3f, 0.3f, 4f, 5f, 3f, 2f, 0.3f) };

        var byDefault = StarvedChannels.Find(graph, Ranges(("y", 0f, 6f)), channels);
        var stricter = StarvedChannels.Find(graph, Ranges(("y", 0f, 6f)), channels, minimumLevels: 16);

        Assert.Empty(byDefault);
        Assert.Equal(["conv1", "conv2", "sig"], stricter.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("under the guard's 16", stricter["conv1"], StringComparison.Ordinal);
    }

    [Fact]
    public void Find_TensorWithoutCalibratedRange_IsIgnored()
    {
        var graph = Chain();
        var channels = new Dictionary<string, ChannelRanges>(StringComparer.Ordinal) { ["y"] = Channels(94.6f, 0.15f, 0.2f, 0.3f) };

        var found = StarvedChannels.Find(graph, Ranges(("other", 0f, 1f)), channels);

        Assert.Empty(found);
    }

    private static OnnxGraph Chain()
    {
        var proto = new GraphProto { Name = "g" };
        proto.Node.Add(new NodeProto { OpType = "Conv", Name = "conv1", Input = { "x", "w1" }, Output = { "y" } });
        proto.Node.Add(new NodeProto { OpType = "Conv", Name = "conv2", Input = { "y", "w2" }, Output = { "z" } });
        proto.Node.Add(new NodeProto { OpType = "Sigmoid", Name = "sig", Input = { "y" }, Output = { "s" } });
        proto.Node.Add(new NodeProto { OpType = "Relu", Name = "after", Input = { "z" }, Output = { "r" } });
        return new OnnxGraph(proto);
    }

    /// <summary>One sample whose channel c spans [0, maxima[c]].</summary>
    private static ChannelRanges Channels(params float[] maxima)
    {
        var ranges = new ChannelRanges(maxima.Length);
        var values = maxima.SelectMany(m => new[] { 0f, m }).ToArray();
        ranges.Add(values, batch: 1, channels: maxima.Length, plane: 2);
        return ranges;
    }

    private static Dictionary<string, TensorRange> Ranges(params (string Name, float Min, float Max)[] ranges) =>
        ranges.ToDictionary(r => r.Name, r => new TensorRange(r.Min, r.Max), StringComparer.Ordinal);
}
