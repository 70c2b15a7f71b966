using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Onnx.Tests.Graph;

public sealed class TensorDataTests
{
    [Theory]
    [InlineData(DataType.Float, 0f)]
    [InlineData(DataType.Float16, 1e-3f)]
    [InlineData(DataType.Bfloat16, 1e-2f)]
    [InlineData(DataType.Double, 0f)]
    public void WriteFloatsThenReadFloats_EachFloatType_ReturnsValuesWithinPrecision(DataType type, float relativeTolerance)
    {
        var tensor = new TensorProto { Name = "t", DataType = (int)type, Dims = { 2, 2 } };
        float[] values = [1.5f, -2.25f, 3.140625f, 1000f];

        TensorData.WriteFloats(tensor, values);
        var read = TensorData.ReadFloats(tensor);

        Assert.Equal(TensorElementTypes.ByteCount((int)type, 4), tensor.RawData.Length);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.InRange(read[i], values[i] - (Math.Abs(values[i]) * relativeTolerance), values[i] + (Math.Abs(values[i]) * relativeTolerance));
        }
    }

    [Fact]
    public void ReadFloats_Float16InInt32Data_DecodesBitPatterns()
    {
        var tensor = new TensorProto { Name = "h", DataType = (int)DataType.Float16, Dims = { 2 } };
        tensor.Int32Data.Add(BitConverter.HalfToUInt16Bits((Half)0.5f));
        tensor.Int32Data.Add(BitConverter.HalfToUInt16Bits((Half)(-4f)));

        Assert.Equal([0.5f, -4f], TensorData.ReadFloats(tensor));
    }

    [Fact]
    public void ReadFloats_Bfloat16Raw_DecodesUpperHalfOfFloat()
    {
        var tensor = new TensorProto { Name = "b", DataType = (int)DataType.Bfloat16, Dims = { 1 } };
        tensor.RawData = Google.Protobuf.ByteString.CopyFrom(BitConverter.GetBytes((ushort)(BitConverter.SingleToUInt32Bits(-1.5f) >> 16)));

        Assert.Equal([-1.5f], TensorData.ReadFloats(tensor));
    }

    [Fact]
    public void Int8AndUInt8_WriteThenRead_RoundTrip()
    {
        var signed = new TensorProto { Name = "s", DataType = (int)DataType.Int8, Dims = { 3 } };
        var unsigned = new TensorProto { Name = "u", DataType = (int)DataType.Uint8, Dims = { 3 } };

        TensorData.WriteInt64s(signed, [-128, 0, 127]);
        TensorData.WriteInt64s(unsigned, [0, 128, 255]);

        Assert.Equal([(sbyte)-128, (sbyte)0, (sbyte)127], TensorData.ReadInt8s(signed));
        Assert.Equal([(byte)0, (byte)128, (byte)255], TensorData.ReadUInt8s(unsigned));
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorData.WriteInt64s(signed, [0, 0, 128]));
    }

    [Fact]
    public void ReadInt64sAndInt32s_TypedAndRawFields_AgreeAndConvert()
    {
        var typed = new TensorProto { Name = "a", DataType = (int)DataType.Int64, Dims = { 3 }, Int64Data = { 1, -2, 3 } };
        var raw = new TensorProto { Name = "b", DataType = (int)DataType.Int32, Dims = { 3 } };
        TensorData.WriteInt64s(raw, [1, -2, 3]);

        Assert.Equal(TensorData.ReadInt64s(typed), TensorData.ReadInt64s(raw));
        Assert.Equal([1, -2, 3], TensorData.ReadInt32s(raw));
    }

    [Fact]
    public void ReadRawBytes_WrongByteCount_ThrowsWithExpectedAndActual()
    {
        var tensor = new TensorProto { Name = "w", DataType = (int)DataType.Float, Dims = { 4 }, RawData = Google.Protobuf.ByteString.CopyFrom(new byte[12]) };

        var error = Assert.Throws<OnnxModelException>(() => TensorData.ReadFloats(tensor));

        Assert.Contains("holds 12 bytes of data; expected 16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteFloats_WrongCount_ThrowsArgumentException()
    {
        var tensor = new TensorProto { Name = "w", DataType = (int)DataType.Float, Dims = { 4 } };

        Assert.Throws<ArgumentException>(() => TensorData.WriteFloats(tensor, [1f]));
    }
}
