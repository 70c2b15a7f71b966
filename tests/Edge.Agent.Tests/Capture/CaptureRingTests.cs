using Edge.Agent.Capture;
using Edge.Protocol.Capture;

namespace Edge.Agent.Tests.Capture;

/// <summary>The on-disk ring on real files: bounds by count and by bytes, owner-only permissions, damaged files at start, restart.</summary>
public sealed class CaptureRingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-capture-ring-").FullName;

    private string Ring => Path.Combine(_folder, "ring");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    internal static CaptureSample Sample(long sequence, int elements = 16, string version = "1.0.0")
    {
        var input = new byte[elements * 4];
        input[0] = (byte)sequence;
        return new CaptureSample("mnist", version, sequence, new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero),
            new CaptureTensor("Input3", "float32", [1, elements], input), new CaptureTensor("Plus214_Output_0", "float32", [1, 2], new byte[8]));
    }

    private static long RecordBytes(CaptureSample sample) => CaptureSampleCodec.Encode(sample).Length;

    [Fact]
    public async Task AppendAsync_PastMaxSamples_DeletesTheOldestAndCountsThem()
    {
        var ring = CaptureRing.Open(Ring);

        for (var i = 1; i <= 7; i++)
        {
            await ring.AppendAsync(Sample(i), maxSamples: 5, maxBytes: long.MaxValue, CancellationToken.None);
        }

        Assert.Equal([3L, 4, 5, 6, 7], ring.Files().Select(f => f.Sequence));
        Assert.Equal(2, ring.DroppedForBudget);
        Assert.Equal(5, ring.Totals().Samples);
        Assert.Equal(5, Directory.GetFiles(Ring).Length);
    }

    [Fact]
    public async Task AppendAsync_PastMaxBytes_DeletesTheOldestUntilTheBytesFit()
    {
        var ring = CaptureRing.Open(Ring);
        var size = RecordBytes(Sample(1));

        for (var i = 1; i <= 6; i++)
        {
            await ring.AppendAsync(Sample(i), maxSamples: 1000, maxBytes: (3 * size) + (size / 2), CancellationToken.None);
        }

        Assert.Equal([4L, 5, 6], ring.Files().Select(f => f.Sequence));
        Assert.Equal(3, ring.DroppedForBudget);
        Assert.Equal(3 * size, ring.Totals().Bytes);
        Assert.Equal(3 * size, Directory.GetFiles(Ring).Sum(f => new FileInfo(f).Length));
    }

    [Fact]
    public async Task AppendAsync_SampleLargerThanMaxBytes_NotKeptAndCounted()
    {
        var ring = CaptureRing.Open(Ring);

        await ring.AppendAsync(Sample(1, elements: 4096), maxSamples: 10, maxBytes: 4096, CancellationToken.None);

        Assert.Empty(ring.Files());
        Assert.Equal(1, ring.DroppedForBudget);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Open_FolderAndFiles_ReadableByTheOwnerOnly()
    {
        var ring = CaptureRing.Open(Ring);

        await ring.AppendAsync(Sample(1), 10, long.MaxValue, CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Ring));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ring.Files()[0].Path));
    }

    [Fact]
    public async Task Open_AfterRestart_KeepsTheSamplesAndGoesOnNumbering()
    {
        var first = CaptureRing.Open(Ring);
        for (var i = 1; i <= 3; i++)
        {
            await first.AppendAsync(Sample(first.NextSequence()), 10, long.MaxValue, CancellationToken.None);
        }

        var reopened = CaptureRing.Open(Ring);

        Assert.Equal([1L, 2, 3], reopened.Files().Select(f => f.Sequence));
        Assert.Equal(4, reopened.NextSequence());
        Assert.Equal(first.Totals().Bytes, reopened.Totals().Bytes);
        Assert.Equal(3, reopened.Totals().Models["mnist@1.0.0"]);
    }

    [Fact]
    public async Task Open_TornDamagedAndTemporaryFiles_RemovedAndCounted_GoodOnesKept()
    {
        var ring = CaptureRing.Open(Ring);
        for (var i = 1; i <= 3; i++)
        {
            await ring.AppendAsync(Sample(i), 10, long.MaxValue, CancellationToken.None);
        }

        var files = ring.Files();
        var torn = await File.ReadAllBytesAsync(files[0].Path);
        await File.WriteAllBytesAsync(files[0].Path, torn[..(torn.Length / 2)]);
        var flipped = await File.ReadAllBytesAsync(files[1].Path);
        flipped[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(files[1].Path, flipped);
        await File.WriteAllTextAsync(Path.Combine(Ring, ".0000000000000004.ecap.abc.tmp"), "half");

        var reopened = CaptureRing.Open(Ring);

        Assert.Equal([3L], reopened.Files().Select(f => f.Sequence));
        Assert.Equal(3, reopened.CorruptRemoved);
        Assert.Single(Directory.GetFiles(Ring));
    }
}
