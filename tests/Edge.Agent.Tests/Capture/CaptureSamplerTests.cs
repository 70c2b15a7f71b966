using System.Threading.Channels;
using Edge.Agent.Capture;
using Edge.Protocol.Capture;
using Edge.Sdk.Inference;
using Edge.TestUtilities;

namespace Edge.Agent.Tests.Capture;

/// <summary>The sampler on a real mnist session through <see cref="ModelHost.Run{TInput, TOutput}"/>.</summary>
public sealed class CaptureSamplerTests : IDisposable
{
    private readonly ModelHost _host = ModelHost.Load(TestData.File("models/mnist/mnist.onnx"), new EdgeSessionOptions { ModelName = "mnist", ModelVersion = "1.0.0" });

    public void Dispose() => _host.Dispose();

    private static CaptureSettings Settings(double fraction, bool enabled = true, bool rawFrames = false) => new(enabled, fraction, 1000, 1 << 20, rawFrames);

    private void Run(int calls)
    {
        var input = new float[784];
        var output = new float[10];
        for (var i = 0; i < calls; i++)
        {
            input[0] = i;
            _host.Run<float, float>(input, output);
        }
    }

    [Theory]
    [InlineData(0.25, 100, 25)]
    [InlineData(0.01, 250, 2)]
    [InlineData(1.0, 7, 7)]
    public void OnRun_Fraction_SamplesExactlyThatShareOfCalls(double fraction, int calls, int expected)
    {
        var queue = Channel.CreateUnbounded<CaptureSample>();
        var sampler = new CaptureSampler(Settings(fraction), 1024, queue.Writer, TimeProvider.System);
        using var registration = _host.AddObserver(sampler);

        Run(calls);

        Assert.Equal(expected, sampler.Sampled);
        Assert.Equal(expected, queue.Reader.Count);
        Assert.Equal(calls, sampler.Seen);
    }

    [Fact]
    public void OnRun_Disabled_SeesNothing()
    {
        var queue = Channel.CreateUnbounded<CaptureSample>();
        var sampler = new CaptureSampler(Settings(1, enabled: false), 1024, queue.Writer, TimeProvider.System);
        using var registration = _host.AddObserver(sampler);

        Run(10);

        Assert.Equal((0L, 0), (sampler.Seen, queue.Reader.Count));
    }

    [Fact]
    public void OnRun_QueueFull_DropsAndCounts_AppCallsSucceed()
    {
        var queue = Channel.CreateBounded<CaptureSample>(new BoundedChannelOptions(3) { FullMode = BoundedChannelFullMode.Wait });
        var sampler = new CaptureSampler(Settings(1), 1024, queue.Writer, TimeProvider.System);
        using var registration = _host.AddObserver(sampler);

        Run(10);

        Assert.Equal(10, sampler.Sampled);
        Assert.Equal(3, queue.Reader.Count);
        Assert.Equal(7, sampler.DroppedQueueFull);
    }

    [Fact]
    public void OnRun_Sample_CarriesTheAppsBytesNamesTypesShapesAndModel()
    {
        var queue = Channel.CreateUnbounded<CaptureSample>();
        using var registration = _host.AddObserver(new CaptureSampler(Settings(1), 1024, queue.Writer, TimeProvider.System));
        var input = Enumerable.Range(0, 784).Select(i => i / 784f).ToArray();
        var output = new float[10];

        _host.Run<float, float>(input, output);

        Assert.True(queue.Reader.TryRead(out var sample));
        Assert.Equal(("mnist", "1.0.0"), (sample.Model, sample.Version));
        Assert.Equal(("Input3", "float32"), (sample.Input.Name, sample.Input.ElementType));
        Assert.Equal([1L, 1, 28, 28], sample.Input.Shape);
        Assert.Equal(System.Runtime.InteropServices.MemoryMarshal.AsBytes(input.AsSpan()).ToArray(), sample.Input.Data);
        Assert.Equal("Plus214_Output_0", sample.Output.Name);
        Assert.Equal([1L, 10], sample.Output.Shape);
        Assert.Equal(System.Runtime.InteropServices.MemoryMarshal.AsBytes(output.AsSpan()).ToArray(), sample.Output.Data);
    }

    [Fact]
    public void OnRun_RawFramesOn_KeepsACopyOfTheAttachedFrame_TooLargeLeftOutAndCounted()
    {
        var queue = Channel.CreateUnbounded<CaptureSample>();
        var sampler = new CaptureSampler(Settings(1, rawFrames: true), 1024, queue.Writer, TimeProvider.System);
        using var registration = _host.AddObserver(sampler);
        var frame = Enumerable.Range(0, 1024).Select(i => (byte)i).ToArray();
        var input = new float[784];
        var output = new float[10];

        using (RawFrames.Attach(frame, "image/jpeg"))
        {
            _host.Run<float, float>(input, output);
        }

        var original = frame.ToArray();
        frame[0] = 99; // the app reuses its buffer; the sample holds its own copy
        _host.Run<float, float>(input, output); // nothing attached
        using (RawFrames.Attach(new byte[1025], "image/jpeg"))
        {
            _host.Run<float, float>(input, output);
        }

        var samples = queue.Reader.ReadAllAsync().ToBlockingEnumerable().Take(3).ToList();
        Assert.Equal(original, samples[0].RawFrame!.Data);
        Assert.Equal("image/jpeg", samples[0].RawFrame!.MediaType);
        Assert.Null(samples[1].RawFrame);
        Assert.Null(samples[2].RawFrame);
        Assert.Equal((1L, 1L), (sampler.RawFramesKept, sampler.RawFramesTooLarge));
    }

    [Fact]
    public void OnRun_RawFramesOff_AttachedFrameNotKept()
    {
        var queue = Channel.CreateUnbounded<CaptureSample>();
        var sampler = new CaptureSampler(Settings(1), 1024, queue.Writer, TimeProvider.System);
        using var registration = _host.AddObserver(sampler);

        using (RawFrames.Attach(new byte[] { 1, 2 }, "image/jpeg"))
        {
            _host.Run<float, float>(new float[784], new float[10]);
        }

        Assert.True(queue.Reader.TryRead(out var sample));
        Assert.Null(sample.RawFrame);
        Assert.Equal(0, sampler.RawFramesKept);
    }

    [Theory]
    [InlineData(new long[] { -1, 3 }, 12, new long[] { 4, 3 })]
    [InlineData(new long[] { -1, 3, -1 }, 12, new long[] { 4, 3, 1 })]
    [InlineData(new long[] { 2, 3 }, 6, new long[] { 2, 3 })]
    [InlineData(new long[] { 2, 3 }, 7, new long[] { 7 })]
    [InlineData(new long[] { -1, 5 }, 12, new long[] { 12 })]
    public void ResolveShape_DynamicAxes_ResolvedFromTheLength(long[] declared, long elements, long[] expected) =>
        Assert.Equal(expected, CaptureSampler.ResolveShape(declared, elements));
}
