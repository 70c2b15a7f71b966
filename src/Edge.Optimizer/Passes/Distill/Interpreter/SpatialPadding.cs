using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Distill.Interpreter;

/// <summary>
/// ONNX's padding of a convolution or pooling window: explicit <c>pads</c> (begin values then end values) or
/// <c>auto_pad</c>, which depends on the input size and so is resolved per call.
/// </summary>
internal sealed class SpatialPadding
{
    private readonly string autoPad;
    private readonly long[] begin;
    private readonly long[] end;

    private SpatialPadding(string autoPad, long[] begin, long[] end)
    {
        this.autoPad = autoPad;
        this.begin = begin;
        this.end = end;
    }

    public static SpatialPadding Read(NodeProto node, int spatial)
    {
        var autoPad = NodeAttributes.String(node, "auto_pad", "NOTSET");
        if (autoPad is not ("NOTSET" or "VALID" or "SAME_UPPER" or "SAME_LOWER"))
        {
            throw CompileContext.Unsupported(node, $"has auto_pad '{autoPad}'; expected NOTSET, VALID, SAME_UPPER or SAME_LOWER");
        }

        var pads = NodeAttributes.Ints(node, "pads") ?? new long[2 * spatial];
        if (pads.Length != 2 * spatial)
        {
            throw CompileContext.Unsupported(node, $"has {pads.Length} pads for {spatial} spatial dimensions; expected {2 * spatial}");
        }

        return new SpatialPadding(autoPad, pads[..spatial], pads[spatial..]);
    }

    /// <summary>Begin and end padding per spatial dimension for an input of spatial size <paramref name="input"/>.</summary>
    public (long[] Begin, long[] End) Resolve(ReadOnlySpan<long> input, long[] kernel, long[] strides, long[] dilations)
    {
        if (autoPad is "NOTSET")
        {
            return (begin, end);
        }

        var b = new long[kernel.Length];
        var e = new long[kernel.Length];
        if (autoPad is "VALID")
        {
            return (b, e);
        }

        for (var i = 0; i < kernel.Length; i++)
        {
            var output = (input[i] + strides[i] - 1) / strides[i];
            var total = Math.Max(0, ((output - 1) * strides[i]) + ((kernel[i] - 1) * dilations[i]) + 1 - input[i]);
            b[i] = autoPad == "SAME_UPPER" ? total / 2 : total - (total / 2);
            e[i] = total - b[i];
        }

        return (b, e);
    }

    /// <summary>TorchSharp's <c>pad</c> argument (last dimension first) for spatial padding of an NC... tensor.</summary>
    public static long[] TorchPad(long[] begin, long[] end)
    {
        var pad = new long[2 * begin.Length];
        for (var i = 0; i < begin.Length; i++)
        {
            var d = begin.Length - 1 - i;
            pad[2 * i] = begin[d];
            pad[(2 * i) + 1] = end[d];
        }

        return pad;
    }

    public static bool Symmetric(long[] begin, long[] end) => begin.AsSpan().SequenceEqual(end);
}
