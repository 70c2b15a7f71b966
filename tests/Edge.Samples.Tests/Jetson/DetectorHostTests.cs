using System.Collections.Concurrent;
using System.Device.Gpio;
using System.Globalization;
using Edge.Samples.Gpio;
using Edge.Samples.Hosting;
using Edge.Samples.Sensors;
using Edge.Samples.Jetson;
using Edge.Samples.Tests.Support;
using Edge.Sdk.Inference;
using Edge.TestUtilities;
using Edge.TestUtilities.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Edge.Samples.Tests.Jetson;

/// <summary>
/// Runs the Jetson sample in simulated mode, in-process, against the embedded broker: the real YOLOX-Nano model on
/// real photos, GPIO through <see cref="GpioController"/> over the simulated driver, telemetry through the embedded agent.
/// </summary>
public sealed class DetectorHostTests
{
    private const int HeaderPin7Line = 144; // Orin Nano/NX header pin 7 = PAC.06, line 144 of tegra234-gpio

    private readonly ITestOutputHelper _output;

    public DetectorHostTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task Run_DogAndOtherPhotos_DrivesPinHighOnDogsAndPublishesCounts()
    {
        // Dogs: ImageNet classes 151-268 (59 photos). Others: classes 0-150 (fish, birds, reptiles, invertebrates).
        var labels = PhotoFolder.Labels();
        var dogs = labels.Where(l => l.ClassIndex is >= 151 and <= 268).Select(l => l.File).ToHashSet();
        var others = labels.Where(l => l.ClassIndex <= 150).Select(l => l.File).ToHashSet();
        Assert.Equal(59, dogs.Count);
        using var photos = PhotoFolder.Create(dogs.Concat(others));
        var data = Directory.CreateTempSubdirectory("edge-jetson-").FullName;

        await using var broker = await EmbeddedMqttBroker.StartAsync();
        await using var telemetry = await TelemetrySubscriber.StartAsync(broker.Host, broker.Port, "samples", "jetson-test");
        var driver = new SimulatedGpioDriver();
        using var environment = new SimulatedBme280(31.5, 990.0, 62.0, busId: 7);
        var options = new DetectorOptions
        {
            ModelPath = TestData.File("models/detectors/yolox_nano/yolox_nano.onnx"),
            Provider = ExecutionProvider.Auto, // falls back to the CPU here, logging why TensorRT and CUDA were skipped
            CpuThreads = 1,
            Frames = "folder:" + photos.Path,
            TargetClass = "dog",
            HeaderPin = 7,
            Simulate = true,
            Agent = new AgentSettings
            {
                DeviceId = "jetson-test",
                Broker = $"{broker.Host}:{broker.Port.ToString(CultureInfo.InvariantCulture)}",
                DataDirectory = data,
                TelemetryInterval = TimeSpan.FromMilliseconds(200),
            },
        };

        var results = new ConcurrentQueue<FrameResult>();
        try
        {
            using var gpio = new GpioController(driver);
            using var host = DetectorHost.Build(options, gpio, environment, logging => logging.SetMinimumLevel(LogLevel.Warning));
            var progress = (LoopProgress<FrameResult>)host.Services.GetService(typeof(LoopProgress<FrameResult>))!;
            progress.Reported += results.Enqueue;
            await host.StartAsync();
            var frames = await progress.Completion.WaitAsync(TimeSpan.FromMinutes(2));

            var list = results.ToArray();
            Assert.Equal(photos.Files.Count, frames);
            Assert.Equal(photos.Files, list.Select(r => r.Name));
            var dogRecall = list.Count(r => dogs.Contains(r.Name) && r.TargetFound) / (double)dogs.Count;
            var falseRate = list.Count(r => others.Contains(r.Name) && r.TargetFound) / (double)others.Count;
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{frames} frames: dog found in {dogRecall:P1} of dog photos, in {falseRate:P1} of {others.Count} other photos"));
            Assert.True(dogRecall >= 0.75, $"Dog recall {dogRecall:P1} is below the SDK's 75% floor for YOLOX-Nano.");
            Assert.True(falseRate <= 0.10, $"A dog was reported in {falseRate:P1} of photos of classes 0-150; at most 10% expected.");
            Assert.All(list.Where(r => r.TargetFound), r => Assert.Contains(r.Detections, d => d.ClassId == 16 && d.Score >= 0.3f));

            // GPIO: opened low, one write per frame matching its result, low again at the end; all on header pin 7's line.
            var writes = driver.Writes;
            Assert.All(writes, w => Assert.Equal(HeaderPin7Line, w.Pin));
            var perFrame = writes.Skip(writes.Count - (int)frames - 1).Take((int)frames).Select(w => w.Value).ToArray();
            Assert.Equal(list.Select(r => r.TargetFound ? PinValue.High : PinValue.Low), perFrame);
            Assert.Equal(PinValue.Low, writes[^1].Value);

            // Telemetry through the embedded agent: the app's counts and the SDK's inference calls, summed over samples.
            var targetFrames = list.Count(r => r.TargetFound);
            await telemetry.WaitUntilAsync(
                t => t.SumOfReading("frames") >= frames && t.SumOfInferenceCalls("yolox_nano") >= frames,
                TimeSpan.FromSeconds(30),
                () => $"frames {telemetry.SumOfReading("frames")} of {frames}, inference calls {telemetry.SumOfInferenceCalls("yolox_nano")}");
            Assert.Equal(frames, telemetry.SumOfReading("frames"));
            Assert.Equal(targetFrames, telemetry.SumOfReading("targetFrames"));
            Assert.Equal(list.Sum(r => r.Detections.Count), telemetry.SumOfReading("detections"));
            Assert.Equal(frames, telemetry.SumOfInferenceCalls("yolox_nano"));
            Assert.Contains(telemetry.Samples, s => s.GetProperty("inference").EnumerateArray().Any(f => f.GetProperty("provider").GetString() == "Cpu"));

            // The BME280, through the binding's register code over the simulated chip: the air it was given, in every sample.
            Assert.All(telemetry.Samples, s =>
            {
                var readings = s.GetProperty("readings");
                Assert.Equal(31.5, readings.GetProperty("airTemperatureCelsius").GetDouble(), 0.01);
                Assert.Equal(990.0, readings.GetProperty("pressureHectopascals").GetDouble(), 0.01);
                Assert.Equal(62.0, readings.GetProperty("relativeHumidityPercent").GetDouble(), 0.05);
                Assert.Equal(0, readings.GetProperty("environmentSensorFailures").GetDouble());
            });
            Assert.True(environment.Conversions >= telemetry.Samples.Count, $"{environment.Conversions} conversions for {telemetry.Samples.Count} samples.");
            await host.StopAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void Build_InvalidOptions_ListsEveryProblem()
    {
        var options = new DetectorOptions
        {
            ModelPath = "/nonexistent/yolox.onnx",
            Frames = "camera0",
            TargetClass = "unicorn",
            HeaderPin = 1,
            EnvironmentSensor = new EnvironmentSensorSettings { Bus = -1, Address = 0x40 },
            Agent = new AgentSettings { Broker = "host:99999" },
        };
        using var gpio = new GpioController(new SimulatedGpioDriver());

        var error = Assert.Throws<ArgumentException>(() => DetectorHost.Build(options, gpio));

        Assert.Contains("--model '/nonexistent/yolox.onnx' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("--frames 'camera0' is not recognised", error.Message, StringComparison.Ordinal);
        Assert.Contains("--class 'unicorn' is not a COCO class", error.Message, StringComparison.Ordinal);
        Assert.Contains("--gpio-pin 1 is not a GPIO", error.Message, StringComparison.Ordinal);
        Assert.Contains("--broker 'host:99999'", error.Message, StringComparison.Ordinal);
        Assert.Contains("--bme280-address 0x40 is not a BME280 address; expected 0x76 or 0x77.", error.Message, StringComparison.Ordinal);
        Assert.Contains("--i2c-bus -1 must not be negative.", error.Message, StringComparison.Ordinal);
    }
}
