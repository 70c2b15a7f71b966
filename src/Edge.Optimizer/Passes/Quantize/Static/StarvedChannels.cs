using System.Globalization;
using Edge.Onnx.Graph;
using Edge.Optimizer.Calibration;

namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>
/// Finds feature maps that one per-tensor 8-bit scale cannot serve: when channel ranges differ by orders of magnitude
/// (the first SiLU of YOLOX-Nano spans 0.15 in some channels and 94 in others), the quiet channels get a handful of
/// levels and their information is lost, and no later layer gets it back. ONNX Runtime's integer kernels take one
/// activation scale per tensor, so such a tensor stays float: its producer and its consumers are left out of the plan.
/// </summary>
internal static class StarvedChannels
{
    /// <summary>
    /// Fewer levels than this (about 3.3 bits) for the channel at <see cref="Quantile"/> marks the tensor as starved
    /// unless the user sets another threshold (<c>--channel-guard-levels</c>).
    /// Measured: YOLOX-Nano's stem (8.5 and 5.4) must stay float (0-1 of 59 dogs otherwise); MobileNetV2's deepest
    /// expansions (11.9 and 14.3) lose nothing in int8, and keeping them float cost 14% of its int8 speed.
    /// </summary>
    public const double DefaultMinimumLevels = 10;

    /// <summary>The share of channels, narrowest first, that must keep the minimum levels.</summary>
    public const double Quantile = 0.25;

    /// <summary>Node name to the reason it stays float, for every producer and consumer of a starved tensor.</summary>
    public static Dictionary<string, string> Find(OnnxGraph graph, IReadOnlyDictionary<string, TensorRange> ranges, IReadOnlyDictionary<string, ChannelRanges> channels, double minimumLevels = DefaultMinimumLevels)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(ranges);
        ArgumentNullException.ThrowIfNull(channels);
        var floatNodes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, channelRanges) in channels.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (!ranges.TryGetValue(name, out var range) || channelRanges.VaryingCount < 4)
            {
                continue;
            }

            var levels = channelRanges.LevelsAtQuantile(range, Quantile);
            if (levels >= minimumLevels)
            {
                continue;
            }

            var reason = string.Create(CultureInfo.InvariantCulture,
                $"tensor '{name}' stays float: one 8-bit scale over [{range.Min:0.###}, {range.Max:0.###}] leaves a quarter of its {channelRanges.VaryingCount} varying channels {levels:0.#} levels or fewer, under the guard's {minimumLevels:0.#} (the median channel gets {channelRanges.LevelsAtQuantile(range, 0.5):0.#}); --no-channel-guard quantizes it anyway");
            var nodes = graph.GetConsumers(name).Prepend(graph.GetProducer(name)).OfType<Onnx.Protobuf.NodeProto>();
            foreach (var node in nodes.Where(n => n.Name.Length > 0))
            {
                floatNodes.TryAdd(node.Name, reason);
            }
        }

        return floatNodes;
    }
}
