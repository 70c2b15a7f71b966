using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Edge.Optimizer.Passes.Distill.Interpreter;

/// <summary>Data movement: Concat, Split, Slice, Reshape, Flatten, Transpose, Squeeze, Unsqueeze.</summary>
internal static partial class NodeCompiler
{
    private static NodeKernel Concat(NodeProto node, CompileContext context)
    {
        var axis = NodeAttributes.Int(node, "axis", 0);
        return (inputs, _) => [cat([.. inputs.Where(t => t is not null).Select(t => t!)], axis)];
    }

    private static NodeKernel Split(NodeProto node, CompileContext context)
    {
        var axis = NodeAttributes.Int(node, "axis", 0);
        var sizes = context.Opset >= 13 ? context.ConstantInts(node, 1) : NodeAttributes.Ints(node, "split");
        var parts = node.Output.Count;
        return (inputs, _) =>
        {
            var x = inputs[0]!;
            var length = x.shape[Normalize(axis, x.dim())];
            var chunk = (length + parts - 1) / parts;
            var split = sizes ?? [.. Enumerable.Range(0, parts).Select(i => Math.Min(chunk, length - (i * chunk)))];
            return x.split(split, axis);
        };
    }

    private static NodeKernel Slice(NodeProto node, CompileContext context)
    {
        long[] starts, ends;
        long[]? axes, steps = null;
        if (context.Opset < 10)
        {
            starts = NodeAttributes.Ints(node, "starts") ?? throw CompileContext.Unsupported(node, "has no starts");
            ends = NodeAttributes.Ints(node, "ends") ?? throw CompileContext.Unsupported(node, "has no ends");
            axes = NodeAttributes.Ints(node, "axes");
        }
        else
        {
            starts = context.ConstantInts(node, 1)!;
            ends = context.ConstantInts(node, 2)!;
            axes = context.ConstantInts(node, 3);
            steps = context.ConstantInts(node, 4);
        }

        if (steps is not null && steps.Any(s => s <= 0))
        {
            throw CompileContext.Unsupported(node, $"has steps [{string.Join(", ", steps)}]; only positive steps are supported");
        }

        return (inputs, _) =>
        {
            var x = inputs[0]!;
            for (var i = 0; i < starts.Length; i++)
            {
                var dim = Normalize(axes?[i] ?? i, x.dim());
                var size = x.shape[dim];
                var start = Math.Clamp(starts[i] < 0 ? starts[i] + size : starts[i], 0, size);
                var end = Math.Clamp(ends[i] < 0 ? ends[i] + size : ends[i], 0, size);
                x = x.slice(dim, start, Math.Max(start, end), steps?[i] ?? 1);
            }

            return [x];
        };
    }

    private static NodeKernel Reshape(NodeProto node, CompileContext context)
    {
        var shape = context.Opset >= 5 ? context.ConstantInts(node, 1)! : NodeAttributes.Ints(node, "shape")!;
        var allowZero = NodeAttributes.Int(node, "allowzero", 0) != 0;
        return Unary(x =>
        {
            var target = (long[])shape.Clone();
            for (var i = 0; i < target.Length && !allowZero; i++)
            {
                if (target[i] == 0)
                {
                    target[i] = x.shape[i];
                }
            }

            // Exports with a fixed batch of one often hard-code it in Reshape; training runs larger batches.
            if (target[0] == 1 && x.shape[0] > 1 && target.Skip(1).All(d => d > 0) && target.Skip(1).Aggregate(1L, (p, d) => p * d) * x.shape[0] == x.numel())
            {
                target[0] = x.shape[0];
            }

            return x.reshape(target);
        });
    }

    private static NodeKernel Flatten(NodeProto node, CompileContext context)
    {
        var axis = NodeAttributes.Int(node, "axis", 1);
        return Unary(x =>
        {
            var a = (int)Normalize(axis, x.dim());
            return x.reshape(x.shape[..a].Aggregate(1L, (p, d) => p * d), x.shape[a..].Aggregate(1L, (p, d) => p * d));
        });
    }

    private static NodeKernel Transpose(NodeProto node, CompileContext context)
    {
        var perm = NodeAttributes.Ints(node, "perm");
        return Unary(x => x.permute(perm ?? [.. Enumerable.Range(0, (int)x.dim()).Reverse().Select(d => (long)d)]));
    }

    private static NodeKernel Squeeze(NodeProto node, CompileContext context)
    {
        var axes = context.Opset >= 13 ? context.ConstantInts(node, 1) : NodeAttributes.Ints(node, "axes");
        return Unary(x =>
        {
            if (axes is null)
            {
                return x.squeeze();
            }

            foreach (var axis in axes.Select(a => Normalize(a, x.dim())).OrderDescending().ToList())
            {
                x = x.squeeze(axis);
            }

            return x;
        });
    }

    private static NodeKernel Unsqueeze(NodeProto node, CompileContext context)
    {
        var axes = (context.Opset >= 13 ? context.ConstantInts(node, 1) : NodeAttributes.Ints(node, "axes"))
                   ?? throw CompileContext.Unsupported(node, "has no axes");
        return Unary(x =>
        {
            var rank = x.dim() + axes.Length;
            foreach (var axis in axes.Select(a => Normalize(a, rank)).Order())
            {
                x = x.unsqueeze(axis);
            }

            return x;
        });
    }
}
