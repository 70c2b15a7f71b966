using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>The result of planning: nodes to quantize, activations to fold into a preceding range, and nodes left float with the reason.</summary>
internal sealed class StaticPlan
{
    public List<NodePlan> Nodes { get; } = [];

    public List<ActivationFold> Folds { get; } = [];

    /// <summary>Node (name or op#index) to the reason it stays float.</summary>
    public List<FloatNode> FloatNodes { get; } = [];

    /// <summary>Tensors whose range was clipped where every consumer saturates (<see cref="SaturatingRanges"/>).</summary>
    public int NarrowedRanges { get; set; }
}

/// <summary>A ReLU (or Clip at 0) removed because the quantized range of its producer already clips at 0.</summary>
/// <param name="Producer">The planned node whose output fed the activation.</param>
/// <param name="OutputIndex">Which output of the producer.</param>
/// <param name="Activation">The removed Relu/Clip; its output becomes the producer's output.</param>
internal sealed record ActivationFold(NodeProto Producer, int OutputIndex, NodeProto Activation);

/// <summary>A node that stays float32, and why.</summary>
internal sealed record FloatNode(string Name, string OpType, string Reason);
