using Edge.Onnx.Protobuf;

namespace Edge.Onnx.Graph;

/// <summary>A graph held by a node attribute (an If branch, a Loop or Scan body), with the node and attribute that hold it.</summary>
/// <param name="Node">The node whose attribute holds the graph.</param>
/// <param name="AttributeName">The attribute's name, for example <c>then_branch</c> or <c>body</c>.</param>
/// <param name="Graph">An index over the subgraph; its <see cref="OnnxGraph.Parent"/> is the enclosing graph.</param>
public sealed record OnnxSubgraph(NodeProto Node, string AttributeName, OnnxGraph Graph);
