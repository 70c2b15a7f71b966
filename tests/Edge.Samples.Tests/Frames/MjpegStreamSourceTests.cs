using Edge.Samples.Frames;
using Edge.Sdk.Processing.Preprocessing;
using Edge.TestUtilities;
using SkiaSharp;

namespace Edge.Samples.Tests.Frames;

public sealed class MjpegStreamSourceTests
{
    private static readonly string[] Photos = ["n02110958_pug.JPEG", "n10148035_groom.JPEG", "n01440764_tench.JPEG"];

    [Fact]
    public async Task ReadAsync_ConcatenatedPhotosAfterNoise_YieldsEachJpegExactly()
    {
        var jpegs = Photos.Select(p => File.ReadAllBytes(TestData.File($"datasets/imagenet-sample-500/{p}"))).ToArray();
        var stream = new MemoryStream([.. "pipeline banner\n"u8, 0xFF, 0x00, .. jpegs[0], .. jpegs[1], .. jpegs[2]]);
        await using var source = new MjpegStreamSource(stream);
        var frame = new CapturedFrame();

        for (var i = 0; i < jpegs.Length; i++)
        {
            Assert.True(await source.ReadAsync(frame, CancellationToken.None), $"frame {i} missing");
            Assert.Equal(FrameKind.Encoded, frame.Kind);
            Assert.Equal(i, frame.Index);
            Assert.True(jpegs[i].AsSpan().SequenceEqual(frame.Data), $"frame {i}: {frame.Length} bytes read, the file has {jpegs[i].Length}.");
            Assert.Equal("image/jpeg", frame.MediaType);
            Assert.True(frame.Memory.Span.SequenceEqual(frame.Data));
            using var bitmap = ImageDecoder.Decode(frame.Data);
            Assert.True(bitmap.Width > 0);
        }

        Assert.False(await source.ReadAsync(frame, CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_JpegWithEmbeddedThumbnail_DoesNotStopAtTheThumbnailsEnd()
    {
        // An APP1 segment carrying a whole JPEG (as EXIF thumbnails do) holds an FF D9 long before the real end.
        var thumbnail = Encode(8, 8);
        var main = Encode(64, 48);
        var app1Length = thumbnail.Length + 2;
        byte[] withThumbnail = [0xFF, 0xD8, 0xFF, 0xE1, (byte)(app1Length >> 8), (byte)app1Length, .. thumbnail, .. main.AsSpan(2)];
        await using var source = new MjpegStreamSource(new MemoryStream([.. withThumbnail, .. main]));
        var frame = new CapturedFrame();

        Assert.True(await source.ReadAsync(frame, CancellationToken.None));
        Assert.Equal(withThumbnail.Length, frame.Length);
        using (var bitmap = ImageDecoder.Decode(frame.Data))
        {
            Assert.Equal((64, 48), (bitmap.Width, bitmap.Height));
        }

        Assert.True(await source.ReadAsync(frame, CancellationToken.None));
        Assert.True(main.AsSpan().SequenceEqual(frame.Data));
    }

    [Fact]
    public async Task ReadAsync_StreamEndsInsideFrame_ThrowsEndOfStreamNamingTheFrame()
    {
        var jpeg = File.ReadAllBytes(TestData.File($"datasets/imagenet-sample-500/{Photos[0]}"));
        await using var source = new MjpegStreamSource(new MemoryStream([.. jpeg, .. jpeg.AsSpan(0, 1000)]));
        var frame = new CapturedFrame();
        Assert.True(await source.ReadAsync(frame, CancellationToken.None));

        var error = await Assert.ThrowsAsync<EndOfStreamException>(async () => await source.ReadAsync(frame, CancellationToken.None));

        Assert.Contains("inside frame 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_FrameLargerThanLimit_ThrowsInvalidData()
    {
        var jpeg = File.ReadAllBytes(TestData.File($"datasets/imagenet-sample-500/{Photos[0]}"));
        await using var source = new MjpegStreamSource(new MemoryStream(jpeg), maxFrameBytes: 1024);

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await source.ReadAsync(new CapturedFrame(), CancellationToken.None));

        Assert.Contains("1024-byte limit", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Encode(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor(200, 40, 40));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }
}
