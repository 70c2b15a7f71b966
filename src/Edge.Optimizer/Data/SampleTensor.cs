using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Data;

/// <summary>
/// One dense tensor of a sample, in row-major order. <see cref="Data"/> is a <c>float[]</c>, <c>long[]</c>,
/// <c>int[]</c>, <c>byte[]</c>, <c>sbyte[]</c>, <c>double[]</c> or <c>bool[]</c> that matches <see cref="ElementType"/>.
/// </summary>
public sealed record SampleTensor(string? Name, TensorProto.Types.DataType ElementType, long[] Shape, Array Data)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public string ShapeText => Shape.Length == 0 ? "scalar" : string.Join('x', Shape);
}
