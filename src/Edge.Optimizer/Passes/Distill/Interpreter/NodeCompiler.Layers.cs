using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Edge.Optimizer.Passes.Distill.Interpreter;

/// <summary>Layers with weights: Conv, ConvTranspose, Gemm, MatMul, BatchNormalization.</summary>
internal static partial class NodeCompiler
{
    private static NodeKernel Conv(NodeProto node, CompileContext context)
    {
        var spatial = SpatialRank(node, context);
        var strides = NodeAttributes.Ints(node, "strides") ?? Ones(spatial);
        var dilations = NodeAttributes.Ints(node, "dilations") ?? Ones(spatial);
        var group = NodeAttributes.Int(node, "group", 1);
        var padding = SpatialPadding.Read(node, spatial);
        return (inputs, _) =>
        {
            var (x, w) = (inputs[0]!, inputs[1]!);
            var kernel = w.shape[2..];
            var (begin, end) = padding.Resolve(x.shape.AsSpan(2), kernel, strides, dilations);
            if (!SpatialPadding.Symmetric(begin, end))
            {
                x = F.pad(x, SpatialPadding.TorchPad(begin, end));
                begin = new long[spatial];
            }

            if (spatial == 2)
            {
                return [F.conv2d(x, w, inputs.ElementAtOrDefault(2), strides, begin, dilations, group)];
            }

            // 1-D convolution runs as 2-D with a height of one, so one kernel serves both.
            var y = F.conv2d(x.unsqueeze(2), w.unsqueeze(2), inputs.ElementAtOrDefault(2), [1, strides[0]], [0, begin[0]], [1, dilations[0]], group);
            return [y.squeeze(2)];
        };
    }

    private static NodeKernel ConvTranspose(NodeProto node, CompileContext context)
    {
        var spatial = SpatialRank(node, context);
        if (spatial != 2)
        {
            throw CompileContext.Unsupported(node, $"has {spatial} spatial dimensions; ConvTranspose is supported in 2-D only");
        }

        if (NodeAttributes.Has(node, "output_shape") || NodeAttributes.String(node, "auto_pad", "NOTSET") != "NOTSET")
        {
            throw CompileContext.Unsupported(node, "sets output_shape or auto_pad; only explicit pads and output_padding are supported");
        }

        var strides = NodeAttributes.Ints(node, "strides") ?? Ones(spatial);
        var dilations = NodeAttributes.Ints(node, "dilations") ?? Ones(spatial);
        var outputPadding = NodeAttributes.Ints(node, "output_padding") ?? new long[spatial];
        var group = NodeAttributes.Int(node, "group", 1);
        var pads = NodeAttributes.Ints(node, "pads") ?? new long[2 * spatial];
        return (inputs, _) =>
        {
            // Compute the full output, then crop begin/end pads, which also covers asymmetric pads.
            var y = F.conv_transpose2d(inputs[0]!, inputs[1]!, inputs.ElementAtOrDefault(2), strides, [0, 0], outputPadding, dilations, group);
            for (var i = 0; i < spatial; i++)
            {
                var size = y.shape[2 + i];
                y = y.narrow(2 + i, pads[i], size - pads[i] - pads[spatial + i]);
            }

            return [y];
        };
    }

    private static NodeKernel Gemm(NodeProto node, CompileContext context)
    {
        var alpha = NodeAttributes.Float(node, "alpha", 1f);
        var beta = NodeAttributes.Float(node, "beta", 1f);
        var transA = NodeAttributes.Int(node, "transA", 0) != 0;
        var transB = NodeAttributes.Int(node, "transB", 0) != 0;
        return (inputs, _) =>
        {
            var a = transA ? inputs[0]!.t() : inputs[0]!;
            var b = transB ? inputs[1]!.t() : inputs[1]!;
            var y = matmul(a, b);
            using var alphaScalar = alpha.ToScalar();
            using var betaScalar = beta.ToScalar();
            if (alpha != 1f)
            {
                y = y.mul(alphaScalar);
            }

            if (inputs.ElementAtOrDefault(2) is { } c)
            {
                y = beta == 1f ? y.Plus(c) : y.Plus(c.mul(betaScalar));
            }

            return [y];
        };
    }

    private static NodeKernel MatMul(NodeProto node, CompileContext context) => (inputs, _) => [matmul(inputs[0]!, inputs[1]!)];

    private static NodeKernel BatchNormalization(NodeProto node, CompileContext context)
    {
        RequireSingleOutput(node, context);
        if (NodeAttributes.Int(node, "spatial", 1) != 1)
        {
            throw CompileContext.Unsupported(node, "has spatial=0 (per-activation statistics); only spatial=1 is supported");
        }

        var epsilon = NodeAttributes.Float(node, "epsilon", 1e-5f);

        // ONNX keeps momentum of the running value (running = running·m + batch·(1−m)); torch takes the batch's share.
        var momentum = 1.0 - NodeAttributes.Float(node, "momentum", 0.9f);
        return (inputs, training) =>
            [F.batch_norm(inputs[0]!, inputs[3]!, inputs[4]!, inputs[1]!, inputs[2]!, training, momentum, epsilon)];
    }

    private static int SpatialRank(NodeProto node, CompileContext context)
    {
        var rank = NodeAttributes.Ints(node, "kernel_shape")?.Length
                   ?? (context.Constant(node.Input[1]) is { } w ? w.Dims.Count - 2 : 2);
        return rank is 1 or 2
            ? rank
            : throw CompileContext.Unsupported(node, $"has {rank} spatial dimensions; 1-D and 2-D are supported");
    }

    private static long[] Ones(int count) => [.. Enumerable.Repeat(1L, count)];
}
