using Edge.Samples.Frames;

namespace Edge.Samples.Tests.Frames;

public sealed class FrameSourceSpecTests
{
    [Theory]
    [InlineData("stdin-mjpeg")]
    [InlineData("stdin-raw:1280x720:nv12")]
    [InlineData("stdin-raw:640x480:YUYV")]
    [InlineData("folder:/tmp/photos")]
    public void Validate_AcceptedForms_ReportNothing(string spec) => Assert.Empty(FrameSourceSpec.Validate(spec));

    [Theory]
    [InlineData("", "--frames is empty")]
    [InlineData("camera", "is not recognised")]
    [InlineData("stdin-raw:1280:nv12", "is not stdin-raw:WIDTHxHEIGHT:FORMAT")]
    [InlineData("stdin-raw:1280x720:h264", "unknown pixel format 'h264'")]
    [InlineData("stdin-raw:641x480:nv12", "need an even width and height; got 641x480")]
    [InlineData("folder:", "names no folder")]
    public void Validate_BadForms_NameTheProblem(string spec, string expected)
    {
        var error = Assert.Single(FrameSourceSpec.Validate(spec));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_Folder_ReadsImagesInOrdinalOrderSkippingOtherFiles()
    {
        var directory = Directory.CreateTempSubdirectory("edge-frames-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(directory, "b.jpg"), [1, 2, 3]);
            await File.WriteAllBytesAsync(Path.Combine(directory, "a.PNG"), [4]);
            await File.WriteAllTextAsync(Path.Combine(directory, "notes.txt"), "not an image");
            await using var source = FrameSourceSpec.Open("folder:" + directory);
            var frame = new CapturedFrame();

            Assert.True(await source.ReadAsync(frame, CancellationToken.None));
            Assert.Equal(("a.PNG", 1), (frame.Name, frame.Length));
            Assert.True(await source.ReadAsync(frame, CancellationToken.None));
            Assert.Equal(("b.jpg", 3), (frame.Name, frame.Length));
            Assert.False(await source.ReadAsync(frame, CancellationToken.None));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
