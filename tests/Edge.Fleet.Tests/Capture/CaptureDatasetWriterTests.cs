using System.IO.Compression;
using System.Text;
using Edge.Fleet.Capture;
using Edge.Protocol.Capture;

namespace Edge.Fleet.Tests.Capture;

/// <summary>The .npz writer on real files: arrays and headers, the rows convention, and every refusal in one line.</summary>
public sealed class CaptureDatasetWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-capture-npz-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (string, CaptureSample) Sample(string device, long sequence, long[] inputShape, string model = "mnist", string version = "1", string type = "float32", long[]? outputShape = null)
    {
        var elements = inputShape.Aggregate(1L, (a, b) => a * b);
        var input = Enumerable.Range(0, (int)elements * CaptureTensor.ElementSize(type)).Select(i => (byte)(i + sequence)).ToArray();
        outputShape ??= [inputShape[0], 2];
        var output = new byte[outputShape.Aggregate(1L, (a, b) => a * b) * 4];
        return (device, new CaptureSample(model, version, sequence, DateTimeOffset.UnixEpoch, new CaptureTensor("x", type, inputShape, input), new CaptureTensor("y", "float32", outputShape, output)));
    }

    private static string Header(string path, string entry)
    {
        using var archive = ZipFile.OpenRead(path);
        using var stream = archive.GetEntry(entry)!.Open();
        var head = new byte[128];
        stream.ReadExactly(head);
        return Encoding.ASCII.GetString(head, 10, head[8] | (head[9] << 8)).Trim();
    }

    [Fact]
    public async Task WriteAsync_BatchedCalls_RowsFollowTheBatchAxis()
    {
        var path = Path.Combine(_folder, "d.npz");

        await CaptureDatasetWriter.WriteAsync(path, [Sample("a", 1, [1, 3]), Sample("a", 2, [2, 3]), Sample("b", 1, [1, 3])], CancellationToken.None);

        Assert.Equal("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3), }", Header(path, "x.npy"));
        Assert.Equal("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 2), }", Header(path, "output.y.npy"));
    }

    [Fact]
    public async Task WriteAsync_SameSamples_SameBytes()
    {
        var first = Path.Combine(_folder, "1.npz");
        var second = Path.Combine(_folder, "2.npz");
        (string, CaptureSample)[] samples = [Sample("a", 1, [1, 3]), Sample("b", 7, [1, 3])];

        await CaptureDatasetWriter.WriteAsync(first, samples, CancellationToken.None);
        await CaptureDatasetWriter.WriteAsync(second, samples, CancellationToken.None);

        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(second));
    }

    [Fact]
    public async Task WriteAsync_OutputRowsDiffer_OutputsLeftOutAndSaidSo()
    {
        var path = Path.Combine(_folder, "o.npz");

        await CaptureDatasetWriter.WriteAsync(path, [Sample("a", 1, [1, 3], outputShape: [5])], CancellationToken.None);

        using var archive = ZipFile.OpenRead(path);
        Assert.Equal(["capture.json", "x.npy"], archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        using var reader = new StreamReader(archive.GetEntry("capture.json")!.Open());
        Assert.Contains("\"outputsIncluded\":false", await reader.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_RawFrames_EachAnEntryNamedInCaptureJson_TheArraysUnchanged()
    {
        var path = Path.Combine(_folder, "r.npz");
        var plain = Path.Combine(_folder, "plain.npz");
        var (device, first) = Sample("a", 1, [1, 3]);
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 7 };
        (string, CaptureSample)[] samples =
        [
            (device, first with { RawFrame = new CaptureRawFrame("image/jpeg", jpeg) }),
            Sample("a", 2, [1, 3]),
            ("b", Sample("b", 3, [1, 3]).Item2 with { RawFrame = new CaptureRawFrame("application/x-thermal", [1, 2]) }),
        ];

        await CaptureDatasetWriter.WriteAsync(path, samples, CancellationToken.None);
        await CaptureDatasetWriter.WriteAsync(plain, [.. samples.Select(s => (s.Item1, s.Item2 with { RawFrame = null }))], CancellationToken.None);

        using var archive = ZipFile.OpenRead(path);
        Assert.Equal(["capture.json", "output.y.npy", "raw/000000.jpg", "raw/000002.bin", "x.npy"], archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        using (var raw = new MemoryStream())
        {
            await archive.GetEntry("raw/000000.jpg")!.Open().CopyToAsync(raw);
            Assert.Equal(jpeg, raw.ToArray());
        }

        using var reader = new StreamReader(archive.GetEntry("capture.json")!.Open());
        var json = System.Text.Json.Nodes.JsonNode.Parse(await reader.ReadToEndAsync())!;
        Assert.Equal(2, (int)json["rawFrames"]!);
        Assert.Equal("raw/000000.jpg", (string?)json["samples"]![0]!["rawFrame"]);
        Assert.Null(json["samples"]![1]!["rawFrame"]);
        Assert.Equal("application/x-thermal", (string?)json["samples"]![2]!["rawMediaType"]);
        using var plainArchive = ZipFile.OpenRead(plain);
        Assert.Equal(await ReadEntryAsync(plainArchive, "x.npy"), await ReadEntryAsync(archive, "x.npy"));
    }

    private static async Task<byte[]> ReadEntryAsync(ZipArchive archive, string name)
    {
        using var copy = new MemoryStream();
        await using var stream = archive.GetEntry(name)!.Open();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public void Check_SeveralModels_RefusedNamingThemAndTheOption()
    {
        var error = Assert.Throws<CaptureException>(() => CaptureDatasetWriter.Check([Sample("a", 1, [1, 3]), Sample("b", 1, [1, 3], model: "yolo"), Sample("b", 2, [1, 3], model: "yolo")]));

        Assert.Equal("the samples come from several models (mnist: 1, yolo: 2); choose one with --model NAME[@VERSION].", error.Message);
    }

    [Fact]
    public void Check_MixedShapes_RefusedNamingEachLayoutAndDevice()
    {
        var error = Assert.Throws<CaptureException>(() => CaptureDatasetWriter.Check([Sample("a", 1, [1, 3]), Sample("b", 1, [1, 4], version: "2")]));

        Assert.Equal("the samples of model mnist have different tensors (x float32[Nx3] -> y float32[Nx2]: 1 from a; x float32[Nx4] -> y float32[Nx2]: 1 from b); choose one version with --model NAME@VERSION.", error.Message);
    }

    [Fact]
    public void Check_Bfloat16_RefusedAsNoNumPyType()
    {
        var error = Assert.Throws<CaptureException>(() => CaptureDatasetWriter.Check([Sample("a", 1, [1, 3], type: "bfloat16")]));

        Assert.Equal("'x' is bfloat16, which NumPy has no type for; it cannot go into an .npz.", error.Message);
    }

    [Fact]
    public void Check_NoSamples_Refused() =>
        Assert.StartsWith("no captured samples to write", Assert.Throws<CaptureException>(() => CaptureDatasetWriter.Check([])).Message, StringComparison.Ordinal);
}
