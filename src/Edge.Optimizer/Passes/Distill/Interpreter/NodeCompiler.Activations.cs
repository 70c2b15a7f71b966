using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Edge.Optimizer.Passes.Distill.Interpreter;

/// <summary>Activations with parameters: LeakyRelu, Clip, HardSigmoid, Softmax, Dropout.</summary>
internal static partial class NodeCompiler
{
    private static NodeKernel LeakyRelu(NodeProto node, CompileContext context)
    {
        var alpha = NodeAttributes.Float(node, "alpha", 0.01f);
        return Unary(x =>
        {
            using var slope = alpha.ToScalar(); // kept alive across the call, see TensorSums
            return x.leaky_relu(slope);
        });
    }

    private static NodeKernel Clip(NodeProto node, CompileContext context)
    {
        float? min, max;
        if (context.Opset < 11)
        {
            min = NodeAttributes.Has(node, "min") ? NodeAttributes.Float(node, "min", 0) : null;
            max = NodeAttributes.Has(node, "max") ? NodeAttributes.Float(node, "max", 0) : null;
        }
        else
        {
            min = context.ConstantFloats(node, 1) is { } lo ? lo.Single() : null;
            max = context.ConstantFloats(node, 2) is { } hi ? hi.Single() : null;
        }

        return Unary(x =>
        {
            // Explicit scalars, alive until the call returns (see Training/TrainingOptimizer on TorchSharp's temporaries).
            using var low = min?.ToScalar();
            using var high = max?.ToScalar();
            return (low, high) switch
            {
                (null, null) => x,
                (null, { } h) => x.clamp_max(h),
                ({ } l, null) => x.clamp_min(l),
                ({ } l, { } h) => x.clamp(l, h),
            };
        });
    }

    private static NodeKernel HardSigmoid(NodeProto node, CompileContext context)
    {
        var alpha = NodeAttributes.Float(node, "alpha", 0.2f);
        var beta = NodeAttributes.Float(node, "beta", 0.5f);
        return Unary(x =>
        {
            using var a = alpha.ToScalar();
            using var b = beta.ToScalar();
            using var zero = 0f.ToScalar();
            using var one = 1f.ToScalar();
            return x.mul(a).Plus(b).clamp(zero, one);
        });
    }

    private static NodeKernel Softmax(NodeProto node, CompileContext context)
    {
        if (context.Opset >= 13)
        {
            var axis = NodeAttributes.Int(node, "axis", -1);
            return Unary(x => x.softmax(axis));
        }

        // Before opset 13 Softmax flattens the input to 2-D at axis and normalizes each row.
        var legacyAxis = NodeAttributes.Int(node, "axis", 1);
        return Unary(x =>
        {
            var a = Normalize(legacyAxis, x.dim());
            var rows = x.shape[..(int)a].Aggregate(1L, (p, d) => p * d);
            return x.reshape(rows, -1).softmax(1).reshape(x.shape);
        });
    }

    private static NodeKernel Dropout(NodeProto node, CompileContext context)
    {
        RequireSingleOutput(node, context);
        var ratio = context.Opset >= 12
            ? context.ConstantFloats(node, 1)?.Single() ?? 0.5f
            : NodeAttributes.Float(node, "ratio", 0.5f);
        return (inputs, training) => [training && ratio > 0 ? F.dropout(inputs[0]!, ratio, training: true) : inputs[0]!];
    }
}
