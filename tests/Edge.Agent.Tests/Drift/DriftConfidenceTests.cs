using Edge.Agent.Drift;
using Edge.Agent.Ota;
using Edge.Agent.Tests.Ota.Support;
using Edge.Agent.Tests.Support;
using Edge.Fleet.Monitoring;
using Edge.Protocol;
using Edge.Sdk.Processing.Preprocessing;
using Edge.TestUtilities;

namespace Edge.Agent.Tests.Drift;

/// <summary>
/// Confidence drift on a model whose confidences spread (unlike MNIST's, which are all in the top bin): SqueezeNet 1.0
/// packed with <c>--reference-data</c> over the 500 ImageNet photos, served by an in-process agent. Every other photo
/// (250, all classes) keeps the PSI low; the same photos at a fifth of their brightness move the confidence histogram
/// past the monitor's PSI threshold (and the inputs past the KL one). Waits are on processed counts, never on time.
/// </summary>
public sealed class DriftConfidenceTests : IAsyncLifetime
{
    private const int Window = 250;
    private const string Preprocess = """{ "width": 224, "height": 224, "resize": "shorterSideCrop", "shorterSide": 256, "interpolation": "bilinear", "colorOrder": "bgr", "mean": [104, 117, 123] }""";
    private static readonly float[] Mean = [104, 117, 123];
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-drift-confidence-").FullName;
    private OtaTestBed _bed = null!;

    private static string Photos => TestData.Directory("datasets/imagenet-sample-500");

    public async Task InitializeAsync() => _bed = await OtaTestBed.StartAsync();

    public async Task DisposeAsync()
    {
        await _bed.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Window_DarkenedPhotos_MovesTheConfidencePsiPastTheThreshold_OtherPhotosDoNot()
    {
        var package = await PackAsync();
        await using var agent = await DriftAgents.StartAsync(_bed, _directory, "dev-drift-confidence", package, Window);
        var model = agent.Get<ActiveModel>();
        var drift = agent.Get<DriftMonitor>();
        await MqttTestClient.WaitUntilAsync(() => drift.Current is not null, Patience, () => "the agent watching its package's reference");
        var photos = Directory.GetFiles(Photos, "*.JPEG").Order(StringComparer.Ordinal).ToArray();

        // Every other photo: the classes of the reference (the files are sorted by class), at their own brightness, then darkened.
        var half = photos.Where((_, i) => i % 2 == 0).Take(Window).ToArray();
        var calm = await FeedAsync(model, drift, half, brightness: 1, expectedProcessed: Window);
        var dark = await FeedAsync(model, drift, half, brightness: 0.2f, expectedProcessed: 2 * Window);

        var thresholds = new MonitorThresholds();
        Assert.True(calm.ConfidencePsi < thresholds.MaxDriftConfidencePsi, $"other photos: confidence PSI {calm.ConfidencePsi}");
        Assert.True(calm.InputDistance < thresholds.MaxDriftInput, $"other photos: input distance {calm.InputDistance}");
        Assert.True(dark.ConfidencePsi > thresholds.MaxDriftConfidencePsi, $"darkened photos: confidence PSI {dark.ConfidencePsi}");
        Assert.True(dark.InputDistance > thresholds.MaxDriftInput, $"darkened photos: input distance {dark.InputDistance}");
        Console.WriteLine($"drift confidence: calm KL {calm.InputDistance:G4} PSI {calm.ConfidencePsi:G4}; darkened KL {dark.InputDistance:G4} PSI {dark.ConfidencePsi:G4}");
    }

    /// <summary>Runs each photo through the served host (scaled in brightness before the mean is taken off), then waits for the worker.</summary>
    private static async Task<DriftFigures> FeedAsync(ActiveModel model, DriftMonitor drift, string[] photos, float brightness, long expectedProcessed)
    {
        var preprocessor = new ImagePreprocessor(PreprocessSpec.FromJson(Preprocess));
        var input = new float[3 * 224 * 224];
        var output = new float[1000];
        foreach (var photo in photos)
        {
            using (var bitmap = await ImageDecoder.DecodeAsync(photo, CancellationToken.None))
            {
                preprocessor.Process(bitmap, input);
            }

            for (var i = 0; i < input.Length; i++)
            {
                var channelMean = Mean[i / (224 * 224)];
                input[i] = ((input[i] + channelMean) * brightness) - channelMean;
            }

            model.Host!.Run<float, float>(input, output);
        }

        await MqttTestClient.WaitUntilAsync(() => drift.Processed == expectedProcessed, Patience, () => $"{drift.Processed} of {expectedProcessed} calls processed");
        return drift.Current!;
    }

    private async Task<string> PackAsync()
    {
        var spec = Path.Combine(_directory, "preprocess.json");
        await File.WriteAllTextAsync(spec, Preprocess);
        return await DriftAgents.PackAsync(_bed, _directory, TestData.File("models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx"), "squeezenet",
            "--preprocess", spec, "--reference-data", $"images:{Photos}");
    }
}
