using static TorchSharp.torch;

namespace Edge.Optimizer.Passes.Distill.Interpreter;

/// <summary>
/// One compiled node: computes the node's outputs from its inputs (null for an omitted optional input). Attributes and
/// constant inputs were read when the node was compiled, so a kernel does no parsing. <paramref name="training"/>
/// switches BatchNormalization to batch statistics and enables Dropout.
/// </summary>
internal delegate Tensor[] NodeKernel(Tensor?[] inputs, bool training);
