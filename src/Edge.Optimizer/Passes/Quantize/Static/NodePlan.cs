using Edge.Onnx.Protobuf;
using Edge.Optimizer.Calibration;

namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>How one node is quantized: which inputs get Q/DQ as activations, which constants become int8 weights or an int32 bias, and which outputs are quantized.</summary>
internal sealed class NodePlan
{
    public NodePlan(NodeProto node)
    {
        Node = node;
    }

    public NodeProto Node { get; }

    /// <summary>Input positions read through QuantizeLinear/DequantizeLinear with calibrated parameters.</summary>
    public List<int> ActivationInputs { get; } = [];

    /// <summary>Constant inputs quantized to the weight type, per tensor or per channel.</summary>
    public List<WeightInput> Weights { get; } = [];

    /// <summary>A constant bias quantized to int32 with scale input_scale x weight_scale.</summary>
    public BiasInput? Bias { get; set; }

    /// <summary>Constant inputs quantized like activations (the activation type, per tensor), for example Add's second operand.</summary>
    public List<int> ConstantInputs { get; } = [];

    /// <summary>Output positions that get QuantizeLinear/DequantizeLinear so the node can run as an integer kernel.</summary>
    public List<int> Outputs { get; } = [];

    /// <summary>Whether inputs and outputs must use one scale and zero point (Concat, pooling, shape-only ops).</summary>
    public bool SharesParameters { get; init; }

    /// <summary>A range fixed by the op's mathematics (Softmax: [0, 1]) rather than calibration.</summary>
    public TensorRange? OutputRange { get; init; }
}

/// <summary>A weight input and its per-channel axis (null: one scale for the tensor).</summary>
internal sealed record WeightInput(int Index, int? Axis);

/// <summary>A bias input and the activation and weight inputs whose scales multiply into its scale.</summary>
internal sealed record BiasInput(int Index, int ActivationIndex, int WeightIndex);
