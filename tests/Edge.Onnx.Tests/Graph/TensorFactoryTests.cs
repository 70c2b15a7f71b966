using Edge.Onnx.Graph;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Onnx.Tests.Graph;

public sealed class TensorFactoryTests
{
    [Fact]
    public void Scales_OneValue_IsAFloatScalar()
    {
        var tensor = TensorFactory.Scales("s", [0.5f]);

        Assert.Empty(tensor.Dims);
        Assert.Equal((int)DataType.Float, tensor.DataType);
        Assert.Equal([0.5f], TensorData.ReadFloats(tensor));
    }

    [Fact]
    public void Scales_PerChannelFloat16_IsOneDimensionalHalves()
    {
        var tensor = TensorFactory.Scales("s", [0.5f, 0.25f], DataType.Float16);

        Assert.Equal([2L], tensor.Dims);
        Assert.Equal((int)DataType.Float16, tensor.DataType);
        Assert.Equal(4, tensor.RawData.Length);
    }

    [Fact]
    public void ZeroPoints_Int8_StoresTwosComplementBytes()
    {
        var tensor = TensorFactory.ZeroPoints("z", DataType.Int8, [-1, 3]);

        Assert.Equal([2L], tensor.Dims);
        Assert.Equal(new byte[] { 0xFF, 3 }, tensor.RawData.ToByteArray());
    }

    [Fact]
    public void ZeroPoints_FloatType_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorFactory.ZeroPoints("z", DataType.Float, [0]));
    }

    [Fact]
    public void Int32s_Values_RoundTripThroughTensorData()
    {
        var tensor = TensorFactory.Int32s("b", [3], [1, -2, 3]);

        Assert.Equal([1, -2, 3], TensorData.ReadInt32s(tensor));
    }
}
