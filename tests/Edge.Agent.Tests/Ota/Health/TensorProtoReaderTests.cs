using Edge.Agent.Ota.Health;
using Edge.Agent.Tests.Ota.Support;
using Edge.Onnx.Protobuf;
using Google.Protobuf;

namespace Edge.Agent.Tests.Ota.Health;

public class TensorProtoReaderTests
{
    [Fact]
    public void Read_MnistGoldenInput_MatchesTheProtobufLibrary()
    {
        var bytes = File.ReadAllBytes(OtaModels.GoldenInputPath);
        var reference = TensorProto.Parser.ParseFrom(bytes);

        var tensor = TensorProtoReader.Read(bytes, "input_0.pb");

        Assert.Equal(GoldenTensor.Float, tensor.DataType);
        Assert.Equal(reference.Dims.ToArray(), tensor.Dimensions);
        Assert.Equal(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(reference.RawData.Span).ToArray(), tensor.Floats);
    }

    [Fact]
    public void Read_TypedFieldsInt64AndDouble_ReadsThem()
    {
        var ints = new TensorProto { DataType = 7, Dims = { 3 }, Int64Data = { -1, 0, 1L << 40 } }.ToByteArray();
        var doubles = new TensorProto { DataType = 11, Dims = { 2 }, DoubleData = { 0.5, -2.25 } }.ToByteArray();

        Assert.Equal([-1L, 0, 1L << 40], TensorProtoReader.Read(ints, "ints").Int64s!);
        Assert.Equal([0.5, -2.25], TensorProtoReader.Read(doubles, "doubles").Doubles!);
    }

    [Fact]
    public void Read_ElementCountDisagreesWithDims_ThrowsNamingBoth()
    {
        var bytes = new TensorProto { DataType = 1, Dims = { 2, 3 }, FloatData = { 1, 2, 3 } }.ToByteArray();

        var error = Assert.Throws<InvalidDataException>(() => TensorProtoReader.Read(bytes, "golden tensor 'x'"));

        Assert.Equal("golden tensor 'x' holds 3 elements, its dimensions [2, 3] need 6.", error.Message);
    }

    [Fact]
    public void Read_TruncatedBytes_ThrowsInvalidData()
    {
        var bytes = File.ReadAllBytes(OtaModels.GoldenInputPath)[..100];

        var error = Assert.Throws<InvalidDataException>(() => TensorProtoReader.Read(bytes, "cut"));

        Assert.Contains("cut declares a field of", error.Message, StringComparison.Ordinal);
    }
}
