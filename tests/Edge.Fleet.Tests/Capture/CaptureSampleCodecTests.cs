using Edge.Protocol.Capture;

namespace Edge.Fleet.Tests.Capture;

/// <summary>The shared sample and snapshot formats: round trips, and damage named precisely.</summary>
public sealed class CaptureSampleCodecTests
{
    private static readonly CaptureSample Sample = new("mnist", "1.0.0", 7, new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero),
        new CaptureTensor("Input3", "float32", [1, 2], [1, 2, 3, 4, 5, 6, 7, 8]), new CaptureTensor("out", "int64", [1], [9, 9, 9, 9, 9, 9, 9, 9]));

    [Fact]
    public void Decode_Encoded_RoundTrips()
    {
        var decoded = CaptureSampleCodec.Decode(CaptureSampleCodec.Encode(Sample));

        Assert.Equal((Sample.Model, Sample.Version, Sample.Sequence, Sample.CapturedAt), (decoded.Model, decoded.Version, decoded.Sequence, decoded.CapturedAt));
        Assert.Equal(Sample.Input.Data, decoded.Input.Data);
        Assert.Equal(Sample.Input.Shape, decoded.Input.Shape);
        Assert.Equal(Sample.Output.Data, decoded.Output.Data);
        Assert.Equal("int64", decoded.Output.ElementType);
    }

    [Fact]
    public void Decode_FlippedDataByte_NamesTheHashMismatch()
    {
        var record = CaptureSampleCodec.Encode(Sample);
        record[^1] ^= 1;

        Assert.StartsWith("A capture sample's data has SHA-256 ", Assert.Throws<InvalidDataException>(() => CaptureSampleCodec.Decode(record)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Truncated_NamesTheByteCounts()
    {
        var record = CaptureSampleCodec.Encode(Sample);

        Assert.Equal("A capture sample carries 15 data bytes; its header says 8 + 8.", Assert.Throws<InvalidDataException>(() => CaptureSampleCodec.Decode(record.AsSpan(0, record.Length - 1))).Message);
    }

    [Fact]
    public void Decode_WithRawFrame_RoundTripsUnderSchema2_AndWithoutStaysSchema1()
    {
        var withFrame = Sample with { RawFrame = new CaptureRawFrame("image/jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]) };

        var record = CaptureSampleCodec.Encode(withFrame);
        var decoded = CaptureSampleCodec.Decode(record);

        Assert.Contains("\"schema\":\"edge.capture-sample/2\"", System.Text.Encoding.UTF8.GetString(record), StringComparison.Ordinal);
        Assert.Contains("\"schema\":\"edge.capture-sample/1\"", System.Text.Encoding.UTF8.GetString(CaptureSampleCodec.Encode(Sample)), StringComparison.Ordinal);
        Assert.Equal("image/jpeg", decoded.RawFrame!.MediaType);
        Assert.Equal(withFrame.RawFrame!.Data, decoded.RawFrame.Data);
        Assert.Equal(Sample.Output.Data, decoded.Output.Data);
        Assert.Null(CaptureSampleCodec.Decode(CaptureSampleCodec.Encode(Sample)).RawFrame);
    }

    [Fact]
    public void Decode_RawFrameFlippedOrTruncated_NamesTheProblem()
    {
        var record = CaptureSampleCodec.Encode(Sample with { RawFrame = new CaptureRawFrame("image/png", [1, 2, 3, 4]) });
        var flipped = record.ToArray();
        flipped[^1] ^= 1;

        Assert.StartsWith("A capture sample's data has SHA-256 ", Assert.Throws<InvalidDataException>(() => CaptureSampleCodec.Decode(flipped)).Message, StringComparison.Ordinal);
        Assert.Equal(
            "A capture sample carries 19 data bytes; its header says 8 + 8 + 4 (raw frame).",
            Assert.Throws<InvalidDataException>(() => CaptureSampleCodec.Decode(record.AsSpan(0, record.Length - 1))).Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("jpeg")]
    [InlineData("image/")]
    [InlineData("image/jp eg")]
    public void Encode_RawFrameBadMediaType_Refused(string mediaType) =>
        Assert.Contains(
            $"media type '{mediaType}' is not type/subtype",
            Assert.Throws<ArgumentException>(() => CaptureSampleCodec.Encode(Sample with { RawFrame = new CaptureRawFrame(mediaType, [1]) })).Message,
            StringComparison.Ordinal);

    [Fact]
    public void Encode_DataNotMatchingShape_Refused() =>
        Assert.Contains("needs 12 bytes; it has 8", Assert.Throws<ArgumentException>(() => CaptureSampleCodec.Encode(Sample with { Input = Sample.Input with { Shape = [1, 3] } })).Message, StringComparison.Ordinal);

    [Fact]
    public async Task Read_Snapshot_ReturnsEverySample_AndNamesATruncatedRecord()
    {
        using var stream = new MemoryStream();
        await CaptureSnapshotFormat.WriteHeaderAsync(stream, CancellationToken.None);
        await CaptureSnapshotFormat.WriteRecordAsync(stream, CaptureSampleCodec.Encode(Sample), CancellationToken.None);
        await CaptureSnapshotFormat.WriteRecordAsync(stream, CaptureSampleCodec.Encode(Sample with { Sequence = 8 }), CancellationToken.None);
        var bytes = stream.ToArray();

        Assert.Equal([7L, 8], CaptureSnapshotFormat.Read(new MemoryStream(bytes)).Select(s => s.Sequence));
        var error = Assert.Throws<InvalidDataException>(() => CaptureSnapshotFormat.Read(new MemoryStream(bytes[..^3])).ToList());
        Assert.StartsWith("Capture snapshot record 1 is truncated", error.Message, StringComparison.Ordinal);
    }
}
