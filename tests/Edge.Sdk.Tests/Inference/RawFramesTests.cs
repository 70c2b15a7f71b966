using Edge.Sdk.Inference;
using Edge.TestUtilities;

namespace Edge.Sdk.Tests.Inference;

/// <summary>Attaching a raw frame to inference calls: scopes, async flow, media types, and what an observer sees on a real host.</summary>
public sealed class RawFramesTests
{
    [Fact]
    public void Attach_Nested_CurrentIsTheInnermost_DisposeRestoresEachPrevious()
    {
        Assert.Null(RawFrames.Current);
        using (RawFrames.Attach(new byte[] { 1 }, "image/jpeg"))
        {
            var inner = RawFrames.Attach(new byte[] { 2, 3 }, "image/png");
            Assert.Equal(("image/png", 2), (RawFrames.Current!.MediaType, RawFrames.Current.Data.Length));
            inner.Dispose();
            inner.Dispose(); // twice is harmless
            Assert.Equal("image/jpeg", RawFrames.Current!.MediaType);
        }

        Assert.Null(RawFrames.Current);
    }

    [Fact]
    public async Task Attach_FlowsIntoContinuations_NotIntoOtherFlows()
    {
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var other = Task.Run(() =>
        {
            started.Set();
            release.Wait();
            return RawFrames.Current;
        });
        started.Wait();

        using (RawFrames.Attach(new byte[] { 9 }, "application/octet-stream"))
        {
            await Task.Yield();
            Assert.Equal("application/octet-stream", RawFrames.Current?.MediaType);
            Assert.Equal("application/octet-stream", await Task.Run(() => RawFrames.Current?.MediaType));
            release.Set();
            Assert.Null(await other);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("jpeg")]
    [InlineData("image/")]
    [InlineData("/jpeg")]
    [InlineData("image/jp eg")]
    [InlineData("image/jpeg; q=1")]
    public void Attach_BadMediaType_ThrowsNamingItAndTheExpectedForm(string mediaType)
    {
        var error = Assert.Throws<ArgumentException>(() => RawFrames.Attach(new byte[] { 1 }, mediaType));

        Assert.Contains($"Media type '{mediaType}' is not 'type/subtype'", error.Message, StringComparison.Ordinal);
        Assert.Null(RawFrames.Current);
    }

    [Fact]
    public void IsMediaType_LongestAcceptedIs127Characters()
    {
        Assert.True(RawFrames.IsMediaType("image/" + new string('x', 121)));
        Assert.False(RawFrames.IsMediaType("image/" + new string('x', 122)));
        Assert.True(RawFrames.IsMediaType("application/vnd.edge+json"));
    }

    [Fact]
    public void Run_WithAttachedFrame_ObserverSeesItDuringTheCallOnly()
    {
        using var host = ModelHost.Load(TestData.File("models/mnist/mnist.onnx"), new EdgeSessionOptions { ModelName = "mnist", ModelVersion = "1" });
        var observer = new FrameRecorder();
        using var registration = host.AddObserver(observer);
        var jpeg = File.ReadAllBytes(Directory.GetFiles(TestData.Directory("datasets/imagenet-sample-500"), "*.JPEG").Order(StringComparer.Ordinal).First());
        var input = new float[784];
        var output = new float[10];

        using (RawFrames.Attach(jpeg, "image/jpeg"))
        {
            host.Run<float, float>(input, output);
        }

        host.Run<float, float>(input, output);

        Assert.Equal(2, observer.Seen.Count);
        Assert.Equal(jpeg, observer.Seen[0]);
        Assert.Null(observer.Seen[1]);
    }

    private sealed class FrameRecorder : IInferenceObserver
    {
        public List<byte[]?> Seen { get; } = [];

        public void OnRun<TInput, TOutput>(EdgeSession session, ReadOnlySpan<TInput> input, ReadOnlySpan<TOutput> output)
            where TInput : unmanaged
            where TOutput : unmanaged => Seen.Add(RawFrames.Current?.Data.ToArray());
    }
}
