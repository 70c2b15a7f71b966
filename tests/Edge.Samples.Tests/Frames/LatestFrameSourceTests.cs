using System.Diagnostics;
using Edge.Samples.Frames;
using Edge.TestUtilities;

namespace Edge.Samples.Tests.Frames;

public sealed class LatestFrameSourceTests
{
    [Fact]
    public async Task ReadAsync_AfterThreeFramesArrived_ReturnsOnlyTheNewestThenEnds()
    {
        var jpegs = new[] { "n02110958_pug.JPEG", "n10148035_groom.JPEG", "n01440764_tench.JPEG" }
            .Select(p => File.ReadAllBytes(TestData.File($"datasets/imagenet-sample-500/{p}"))).ToArray();
        await using var source = new LatestFrameSource(new MjpegStreamSource(new MemoryStream([.. jpegs[0], .. jpegs[1], .. jpegs[2]])));
        await WaitUntilAsync(() => source.FramesRead == 3);
        var frame = new CapturedFrame();

        Assert.True(await source.ReadAsync(frame, CancellationToken.None));

        Assert.Equal(2, frame.Index);
        Assert.True(jpegs[2].AsSpan().SequenceEqual(frame.Data));
        Assert.Equal(2, source.FramesDropped);
        Assert.False(await source.ReadAsync(frame, CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_StreamBrokenAfterOneFrame_ReturnsItThenRethrows()
    {
        var jpeg = File.ReadAllBytes(TestData.File("datasets/imagenet-sample-500/n02110958_pug.JPEG"));
        await using var source = new LatestFrameSource(new MjpegStreamSource(new MemoryStream([.. jpeg, .. jpeg.AsSpan(0, 500)])));
        var frame = new CapturedFrame();
        await WaitUntilAsync(() => source.FramesRead == 1);

        Assert.True(await source.ReadAsync(frame, CancellationToken.None));
        Assert.Equal(0, frame.Index);
        await Assert.ThrowsAsync<EndOfStreamException>(async () => await source.ReadAsync(frame, CancellationToken.None));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var started = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), "The background reader did not read the stream within 10 s.");
            await Task.Delay(10);
        }
    }
}
