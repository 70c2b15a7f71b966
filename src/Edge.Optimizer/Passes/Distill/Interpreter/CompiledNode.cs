using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Passes.Distill.Interpreter;

/// <summary>A node of the student graph ready to run: its kernel and the value names it reads and writes.</summary>
internal sealed record CompiledNode(NodeProto Node, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, NodeKernel Kernel);
