using System.Buffers;
using Edge.Protocol.Ota;

namespace Edge.Agent.Tests.Ota.Protocol;

public class OtaChunkFrameTests
{
    [Fact]
    public void Decode_EncodedFrame_ReturnsHeaderAndData()
    {
        var data = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();

        var header = OtaChunkFrame.Decode(new ReadOnlySequence<byte>(OtaChunkFrame.Encode("j1", 3, 15000, data)), out var decoded);

        Assert.Equal(("j1", 3, 15000L, 5000), (header.JobId, header.Index, header.Offset, header.Length));
        Assert.Equal(data, decoded.ToArray());
    }

    [Fact]
    public void Decode_FlippedDataByte_ThrowsWithBothHashes()
    {
        var frame = OtaChunkFrame.Encode("j1", 0, 0, new byte[100]);
        frame[^1] ^= 1;

        var error = Assert.Throws<InvalidDataException>(() => OtaChunkFrame.Decode(new ReadOnlySequence<byte>(frame), out _));

        Assert.StartsWith("Chunk 0 of job 'j1' has SHA-256 ", error.Message, StringComparison.Ordinal);
        Assert.Contains("its header says", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_MissingSeparator_Throws()
    {
        var error = Assert.Throws<InvalidDataException>(() => OtaChunkFrame.Decode(new ReadOnlySequence<byte>("{}"u8.ToArray()), out _));

        Assert.Equal("A chunk frame of 2 bytes has no line feed after its JSON header.", error.Message);
    }
}
