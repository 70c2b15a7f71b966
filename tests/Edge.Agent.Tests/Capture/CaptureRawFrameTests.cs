using Edge.Agent.Tests.Ota;
using Edge.Optimizer.Cli;
using Edge.TestUtilities;
using Xunit.Abstractions;

namespace Edge.Agent.Tests.Capture;

/// <summary>
/// Raw frames end to end on a real Mosquitto: the app attaches each call's camera JPEG (real ImageNet photos), the
/// fleet asks one device to keep raw frames, and the pulled .npz carries every frame byte for byte beside the tensors,
/// named in capture.json; a device enabled without <c>--raw-frames</c> keeps none. The file still calibrates quantize.
/// </summary>
[Collection(OtaSerialGroup.Name)]
public sealed class CaptureRawFrameTests(ITestOutputHelper log) : IAsyncLifetime
{
    private CaptureTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await CaptureTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Pull_RawFramesOn_NpzCarriesEachAttachedJpeg_OffKeepsNone()
    {
        var photos = Directory.GetFiles(TestData.Directory("datasets/imagenet-sample-500"), "*.JPEG").Order(StringComparer.Ordinal).Take(6).Select(File.ReadAllBytes).ToArray();
        Assert.True(photos.Length == 6, $"expected 6 photos in datasets/imagenet-sample-500, found {photos.Length}");
        await using var withFrames = await _bed.StartAgentAsync("raw-on");
        await using var without = await _bed.StartAgentAsync("raw-off");

        var on = await _bed.FleetAsync("capture", "enable", "raw-on", "--fraction", "100%", "--raw-frames");
        var off = await _bed.FleetAsync("capture", "enable", "raw-off", "--fraction", "100%");
        Assert.True(on.Code == 0 && off.Code == 0, on.Output + on.Error + off.Output + off.Error);
        Assert.Contains("raw-on: capture on, fraction 1, at most 1000 samples and 67108864 bytes, raw frames kept", on.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("raw frames", off.Output, StringComparison.Ordinal);

        // Every call but the third attaches its photo; the third has none, as a call an app does not attach.
        (byte[], string)? Frame(int call) => call == 2 ? null : (photos[call], "image/jpeg");
        await CaptureTestBed.InferAsync(withFrames, 6, seed: 3, Frame);
        await CaptureTestBed.InferAsync(without, 4, seed: 4, Frame);
        var status = await _bed.FleetAsync("capture", "status", "raw-on");
        Assert.Contains("5 raw frames kept, 0 too large", status.Output, StringComparison.Ordinal);

        var npz = Path.Combine(_bed.Root, "frames.npz");
        var pull = await _bed.FleetAsync("capture", "pull", "raw-on", "-o", npz);
        Assert.True(pull.Code == 0, pull.Output + pull.Error);
        log.WriteLine(pull.Error + pull.Output);
        Assert.Equal(
            ["Input3.npy", "capture.json", "output.Plus214_Output_0.npy", "raw/000000.jpg", "raw/000001.jpg", "raw/000003.jpg", "raw/000004.jpg", "raw/000005.jpg"],
            CaptureNpz.Entries(npz));
        foreach (var call in new[] { 0, 1, 3, 4, 5 })
        {
            Assert.Equal(photos[call], CaptureNpz.Entry(npz, $"raw/{call:D6}.jpg"));
        }

        var samples = CaptureNpz.Provenance(npz)["samples"]!.AsArray();
        Assert.Equal("raw/000004.jpg", (string?)samples[4]!["rawFrame"]);
        Assert.Equal("image/jpeg", (string?)samples[4]!["rawMediaType"]);
        Assert.Null(samples[2]!["rawFrame"]);

        var plain = Path.Combine(_bed.Root, "plain.npz");
        var pullOff = await _bed.FleetAsync("capture", "pull", "raw-off", "-o", plain);
        Assert.True(pullOff.Code == 0, pullOff.Output + pullOff.Error);
        Assert.DoesNotContain(CaptureNpz.Entries(plain), e => e.StartsWith("raw/", StringComparison.Ordinal));

        // The raw entries are not arrays: the optimizer's npy: reader still takes the file as it is.
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await EdgeOptimizeCli.RunAsync(["eval", TestData.File("models/mnist/mnist.onnx"), "--data", $"npy:{npz}"], output, error);
        Assert.True(code == 0, output.ToString() + error.ToString());
    }
}
