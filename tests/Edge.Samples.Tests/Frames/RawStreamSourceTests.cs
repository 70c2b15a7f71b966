using Edge.Samples.Frames;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Samples.Tests.Frames;

public sealed class RawStreamSourceTests
{
    [Fact]
    public async Task ReadAsync_TwoNv12FramesThenPartial_YieldsTwoThenThrowsWithSizes()
    {
        const int Width = 4, Height = 2, FrameBytes = Width * Height * 3 / 2; // Y plane + half-height UV plane
        var bytes = Enumerable.Range(0, (2 * FrameBytes) + 5).Select(i => (byte)i).ToArray();
        await using var source = new RawStreamSource(new MemoryStream(bytes), Width, Height, PixelFormat.Nv12);
        var frame = new CapturedFrame();

        Assert.Equal(FrameBytes, source.FrameBytes);
        Assert.True(await source.ReadAsync(frame, CancellationToken.None));
        Assert.True(bytes.AsSpan(0, FrameBytes).SequenceEqual(frame.Data));
        Assert.Equal((FrameKind.Raw, Width, Height, PixelFormat.Nv12), (frame.Kind, frame.Width, frame.Height, frame.Format));
        Assert.Equal("application/octet-stream", frame.MediaType);
        Assert.True(await source.ReadAsync(frame, CancellationToken.None));
        Assert.True(bytes.AsSpan(FrameBytes, FrameBytes).SequenceEqual(frame.Data));

        var error = await Assert.ThrowsAsync<EndOfStreamException>(async () => await source.ReadAsync(frame, CancellationToken.None));
        Assert.Contains("after 5 of 12 bytes (4x2 Nv12)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_RawFrame_PreprocessesLikeTheSameBitmap()
    {
        // A raw BGR frame and the same pixels as RGBA must give the same model input.
        const int Width = 6, Height = 4;
        var bgr = Enumerable.Range(0, Width * Height * 3).Select(i => (byte)(i * 7)).ToArray();
        var rgba = new byte[Width * Height * 4];
        for (var p = 0; p < Width * Height; p++)
        {
            (rgba[4 * p], rgba[(4 * p) + 1], rgba[(4 * p) + 2], rgba[(4 * p) + 3]) = (bgr[(3 * p) + 2], bgr[(3 * p) + 1], bgr[3 * p], 255);
        }

        var spec = PreprocessSpec.FromJson("""{ "width": 3, "height": 2 }""");
        await using var source = new RawStreamSource(new MemoryStream(bgr), Width, Height, PixelFormat.Bgr24);
        var frame = new CapturedFrame();
        Assert.True(await source.ReadAsync(frame, CancellationToken.None));
        var fromSource = new float[spec.OutputLength];
        new FramePreprocessor(spec).Process(frame, fromSource);

        var expected = new ImagePreprocessor(spec).ProcessToArray(new ImageFrame(rgba, Width, Height, PixelFormat.Rgba32), out _);

        Assert.Equal(expected, fromSource);
    }
}
