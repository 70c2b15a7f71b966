using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Edge.Optimizer.Passes.Distill.Interpreter;

/// <summary>Spatial ops: MaxPool, AveragePool, Resize, Pad.</summary>
internal static partial class NodeCompiler
{
    private static NodeKernel MaxPool(NodeProto node, CompileContext context)
    {
        RequireSingleOutput(node, context);
        var (kernel, strides, dilations, padding, ceil) = PoolWindow(node);
        return Unary(x =>
        {
            var (begin, end) = padding.Resolve(x.shape.AsSpan(2), kernel, strides, dilations);
            if (!SpatialPadding.Symmetric(begin, end))
            {
                x = F.pad(x, SpatialPadding.TorchPad(begin, end), PaddingModes.Constant, double.NegativeInfinity);
                begin = [0, 0];
            }

            return F.max_pool2d(x, kernel, strides, begin, dilations, ceil);
        });
    }

    private static NodeKernel AveragePool(NodeProto node, CompileContext context)
    {
        var (kernel, strides, dilations, padding, ceil) = PoolWindow(node);
        if (dilations.Any(d => d != 1))
        {
            throw CompileContext.Unsupported(node, $"has dilations [{string.Join(", ", dilations)}]; AveragePool supports only 1");
        }

        var includePad = NodeAttributes.Int(node, "count_include_pad", 0) != 0;
        return Unary(x =>
        {
            var (begin, end) = padding.Resolve(x.shape.AsSpan(2), kernel, strides, dilations);
            if (!SpatialPadding.Symmetric(begin, end))
            {
                if (!includePad)
                {
                    throw CompileContext.Unsupported(node, $"pads asymmetrically ([{string.Join(", ", begin)}] / [{string.Join(", ", end)}]) without count_include_pad");
                }

                x = F.pad(x, SpatialPadding.TorchPad(begin, end));
                begin = [0, 0];
            }

            return F.avg_pool2d(x, kernel, strides, begin, ceil, includePad);
        });
    }

    private static (long[] Kernel, long[] Strides, long[] Dilations, SpatialPadding Padding, bool Ceil) PoolWindow(NodeProto node)
    {
        var kernel = NodeAttributes.Ints(node, "kernel_shape") ?? throw CompileContext.Unsupported(node, "has no kernel_shape");
        if (kernel.Length != 2)
        {
            throw CompileContext.Unsupported(node, $"pools over {kernel.Length} dimensions; only 2-D pooling is supported");
        }

        return (kernel, NodeAttributes.Ints(node, "strides") ?? [1, 1], NodeAttributes.Ints(node, "dilations") ?? [1, 1],
            SpatialPadding.Read(node, 2), NodeAttributes.Int(node, "ceil_mode", 0) != 0);
    }

    private static NodeKernel Resize(NodeProto node, CompileContext context)
    {
        var mode = NodeAttributes.String(node, "mode", "nearest");
        var transform = context.Opset >= 11 ? NodeAttributes.String(node, "coordinate_transformation_mode", "half_pixel") : "asymmetric";
        var nearest = context.Opset >= 11 ? NodeAttributes.String(node, "nearest_mode", "round_prefer_floor") : "floor";
        var scales = context.Opset >= 11 ? context.ConstantFloats(node, 2) : context.ConstantFloats(node, 1);
        var sizes = context.Opset >= 11 ? context.ConstantInts(node, 3) : null;
        if (scales is { Length: 0 })
        {
            scales = null;
        }

        if (NodeAttributes.Int(node, "antialias", 0) != 0 || NodeAttributes.Has(node, "axes"))
        {
            throw CompileContext.Unsupported(node, "sets antialias or axes; neither is supported");
        }

        if ((scales is not null && (scales.Length != 4 || scales[0] != 1 || scales[1] != 1)) || (sizes is not null && sizes.Length != 4))
        {
            throw CompileContext.Unsupported(node, "must resize only the two spatial dimensions of an NCHW tensor");
        }

        var (interpolation, alignCorners, integerOnly) = (mode, transform, nearest) switch
        {
            ("nearest", "asymmetric", "floor") => (InterpolationMode.Nearest, (bool?)null, false),

            // For whole-number upscaling, half_pixel with round_prefer_floor picks the same source pixel as floor.
            ("nearest", "half_pixel" or "pytorch_half_pixel", "round_prefer_floor") => (InterpolationMode.Nearest, null, true),
            ("linear", "half_pixel" or "pytorch_half_pixel", _) => (InterpolationMode.Bilinear, false, false),
            ("linear", "align_corners", _) => (InterpolationMode.Bilinear, true, false),
            _ => throw CompileContext.Unsupported(node, $"uses mode '{mode}' with coordinate_transformation_mode '{transform}' and nearest_mode '{nearest}'; supported: nearest (asymmetric+floor, or half_pixel+round_prefer_floor for whole-number upscaling) and linear (half_pixel, pytorch_half_pixel, align_corners)"),
        };
        return Unary(x =>
        {
            long[] size = sizes is not null
                ? [sizes[2], sizes[3]]
                : [(long)Math.Floor(x.shape[2] * scales![2]), (long)Math.Floor(x.shape[3] * scales[3])];
            if (integerOnly && (size[0] % x.shape[2] != 0 || size[1] % x.shape[3] != 0))
            {
                throw CompileContext.Unsupported(node, $"resizes {x.shape[2]}x{x.shape[3]} to {size[0]}x{size[1]}; half_pixel nearest is supported only for whole-number upscaling");
            }

            return F.interpolate(x, size, mode: interpolation, align_corners: alignCorners);
        });
    }

    private static NodeKernel Pad(NodeProto node, CompileContext context)
    {
        var mode = NodeAttributes.String(node, "mode", "constant");
        var pads = context.Opset >= 11 ? context.ConstantInts(node, 1)! : NodeAttributes.Ints(node, "pads") ?? NodeAttributes.Ints(node, "paddings")!;
        var value = context.Opset >= 11 ? context.ConstantFloats(node, 2)?.SingleOrDefault() ?? 0f : NodeAttributes.Float(node, "value", 0f);
        var axes = context.Opset >= 18 ? context.ConstantInts(node, 3) : null;
        var torchMode = mode switch
        {
            "constant" => PaddingModes.Constant,
            "reflect" => PaddingModes.Reflect,
            "edge" => PaddingModes.Replicate,
            _ => throw CompileContext.Unsupported(node, $"has mode '{mode}'; expected constant, reflect or edge"),
        };
        return Unary(x =>
        {
            var rank = (int)x.dim();
            var begin = new long[rank];
            var end = new long[rank];
            var padded = axes?.Select(a => (int)Normalize(a, rank)).ToArray() ?? [.. Enumerable.Range(0, rank)];
            for (var i = 0; i < padded.Length; i++)
            {
                begin[padded[i]] = pads[i];
                end[padded[i]] = pads[padded.Length + i];
            }

            // TorchSharp pads from the last dimension backwards; leading dimensions without padding are left out,
            // because reflect and replicate padding accept only the trailing (spatial) dimensions.
            var first = 0;
            while (first < rank - 1 && begin[first] == 0 && end[first] == 0)
            {
                first++;
            }

            var torchPad = SpatialPadding.TorchPad(begin[first..], end[first..]);
            return F.pad(x, torchPad, torchMode, value);
        });
    }
}
