namespace Edge.Onnx.Tests.Serialization;

/// <summary>
/// Issue 17, case 5: a length prefix beyond the data (Google.Protobuf keeps only its low 32 bits) is refused naming
/// the field, at the top level and nested, instead of parsing as an empty field.
/// </summary>
public sealed class WireLengthCheckTests
{
    // ir_version = 7 (field 1, varint), then graph (field 7, length-delimited) claiming 2^62 bytes: 14 bytes in all.
    private static readonly byte[] GraphClaiming2To62 = [0x08, 0x07, 0x3A, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0x0A, 0x00];

    [Fact]
    public async Task LoadAsync_GraphFieldClaiming2To62Bytes_ThrowsNamingTheField()
    {
        Assert.Equal(14, GraphClaiming2To62.Length);
        using var stream = new MemoryStream(GraphClaiming2To62, writable: false);

        var error = await Assert.ThrowsAsync<OnnxModelException>(() => OnnxModel.LoadAsync(stream));

        Assert.Equal(
            "'stream' is not an ONNX model: protobuf parse failed at byte 2 of 14: field ModelProto.graph (number 7) claims " +
            "4611686018427387904 bytes, but only 2 remain in its enclosing message; the file is truncated or the length is corrupt.",
            error.Message);
    }

    [Fact]
    public void Load_FileWithTheSameLie_ThrowsNamingTheFile()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "lie.onnx");
        File.WriteAllBytes(path, GraphClaiming2To62);

        var error = Assert.Throws<OnnxModelException>(() => OnnxModel.Load(path));

        Assert.StartsWith($"'{path}' is not an ONNX model: protobuf parse failed at byte 2 of 14: field ModelProto.graph (number 7)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_NestedNodeClaimingMoreThanItsGraph_ThrowsNamingThePath()
    {
        // ir_version = 7, graph of 4 bytes holding node (field 1) claiming 2^32 + 1 bytes (low 32 bits: 1).
        byte[] bytes = [0x08, 0x07, 0x3A, 0x07, 0x0A, 0x81, 0x80, 0x80, 0x80, 0x10, 0x00];
        using var stream = new MemoryStream(bytes, writable: false);

        var error = await Assert.ThrowsAsync<OnnxModelException>(() => OnnxModel.LoadAsync(stream));

        Assert.Contains("at byte 4 of 11: field ModelProto.graph.node (number 1) claims 4294967297 bytes, but only 1 remain", error.Message, StringComparison.Ordinal);
    }
}
