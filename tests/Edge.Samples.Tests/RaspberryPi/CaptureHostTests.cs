using System.Collections.Concurrent;
using System.Device.Gpio;
using System.Globalization;
using Edge.Samples.Gpio;
using Edge.Samples.Hosting;
using Edge.Samples.Sensors;
using Edge.Samples.RaspberryPi;
using Edge.Samples.RaspberryPi.Sensors;
using Edge.Samples.Tests.Support;
using Edge.TestUtilities;
using Edge.TestUtilities.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Edge.Samples.Tests.RaspberryPi;

/// <summary>
/// Runs the Raspberry Pi sample in simulated mode, in-process, against the embedded broker: button presses on the
/// simulated driver trigger captures, UltraFace runs on real photos, the LED follows the faces, and the readings of
/// the Iot.Device.Bindings LM75 and BME280 bindings over simulated chips, with the capture counts, arrive as telemetry.
/// </summary>
public sealed class CaptureHostTests
{
    private const int ButtonPin = 17;
    private const int LedPin = 27;

    // Checked by eye: the groom photo shows five people's faces, the hammerhead photo a man holding two sharks, the
    // academic-gown photo a graduate's face. The suit photo is cropped below the face, the sunglass photo is a
    // product shot, the jersey photo a T-shirt on a fence.
    private static readonly Dictionary<string, (int Least, int Most)> FacesByPhoto = new()
    {
        ["n01494475_hammerhead.JPEG"] = (1, 1),
        ["n02669723_academic_gown.JPEG"] = (1, 1),
        ["n03595614_jersey.JPEG"] = (0, 0),
        ["n04350905_suit.JPEG"] = (0, 0),
        ["n04355933_sunglass.JPEG"] = (0, 0),
        ["n10148035_groom.JPEG"] = (4, 6),
    };

    private readonly ITestOutputHelper _output;

    public CaptureHostTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task Run_ButtonPresses_CaptureFacesLightLedAndPublishTemperature()
    {
        using var photos = PhotoFolder.Create(FacesByPhoto.Keys);
        var data = Directory.CreateTempSubdirectory("edge-rpi-").FullName;
        await using var broker = await EmbeddedMqttBroker.StartAsync();
        await using var telemetry = await TelemetrySubscriber.StartAsync(broker.Host, broker.Port, "samples", "pi-test");
        var driver = new SimulatedGpioDriver(pinCount: 28);
        using var sensor = new SimulatedLm75(23.5);
        using var environment = new SimulatedBme280(19.25, 1002.5, 71.0);
        var options = new CaptureOptions
        {
            ModelPath = TestData.File("models/detectors/ultraface/version-RFB-320.onnx"),
            CpuThreads = 1,
            Frames = "folder:" + photos.Path,
            ButtonPin = ButtonPin,
            LedPin = LedPin,
            Debounce = TimeSpan.Zero, // simulated presses come back to back
            Simulate = true,
            Agent = new AgentSettings
            {
                DeviceId = "pi-test",
                Broker = $"{broker.Host}:{broker.Port.ToString(CultureInfo.InvariantCulture)}",
                DataDirectory = data,
                TelemetryInterval = TimeSpan.FromMilliseconds(200),
            },
        };

        var results = new ConcurrentQueue<CaptureResult>();
        try
        {
            using var gpio = new GpioController(driver);
            using var host = CaptureHost.Build(options, gpio, sensor, environment, logging => logging.SetMinimumLevel(LogLevel.Warning));
            var progress = (LoopProgress<CaptureResult>)host.Services.GetService(typeof(LoopProgress<CaptureResult>))!;
            progress.Reported += results.Enqueue;
            var observed = new CallRecorder();
            var served = (ServedModel)host.Services.GetService(typeof(ServedModel))!;
            using var observation = served.Current.AddObserver(observed);
            await host.StartAsync();

            // No press, no capture: the app waits on the button. Its start (opening the pin) runs in the background,
            // so wait for the pin rather than a fixed time: a slow first start (CI) must not press too early.
            await WaitUntilAsync(() => gpio.IsPinOpen(ButtonPin) && gpio.GetPinMode(ButtonPin) == PinMode.InputPullUp, "the button pin opened as an input");
            await Task.Delay(500);
            Assert.Empty(results);

            // Two presses capture exactly two frames.
            driver.Press(ButtonPin);
            driver.Press(ButtonPin);
            await WaitUntilAsync(() => results.Count == 2, "two captures after two presses");
            await Task.Delay(300);
            Assert.Equal(2, results.Count);

            // The rest, plus one more press that finds the folder exhausted and ends the loop.
            for (var i = 2; i <= photos.Files.Count; i++)
            {
                driver.Press(ButtonPin);
            }

            var captures = await progress.Completion.WaitAsync(TimeSpan.FromMinutes(1));
            var list = results.ToArray();
            Assert.Equal(photos.Files.Count, captures);
            Assert.Equal(photos.Files, list.Select(r => r.Name));
            foreach (var result in list)
            {
                _output.WriteLine($"{result.Name}: {result.Faces.Count} face(s)");
                var (least, most) = FacesByPhoto[result.Name];
                Assert.InRange(result.Faces.Count, least, most);
                Assert.All(result.Faces, f => Assert.True(f.Score >= 0.7f && f.Box.Width > 0 && f.Box.Height > 0, $"{result.Name}: face {f} is below 0.7 or empty."));
            }

            // Each capture is shown to the host's observers (the agent's shadow, capture and drift) with its first output
            // (UltraFace's scores, 4420 anchors x 2) and the camera frame it came from.
            Assert.Equal(list.Length, observed.Calls.Count);
            for (var i = 0; i < list.Length; i++)
            {
                Assert.Equal((4420 * 2, "image/jpeg"), (observed.Calls[i].Outputs, observed.Calls[i].MediaType));
                Assert.Equal(File.ReadAllBytes(System.IO.Path.Combine(photos.Path, list[i].Name)), observed.Calls[i].Frame);
            }

            // LED: one write per capture that follows its faces, and off at the end. Nothing else is written.
            var writes = driver.Writes;
            Assert.All(writes, w => Assert.Equal(LedPin, w.Pin));
            var perCapture = writes.Skip(writes.Count - list.Length - 1).Take(list.Length).Select(w => w.Value).ToArray();
            Assert.Equal(list.Select(r => r.Faces.Count > 0 ? PinValue.High : PinValue.Low), perCapture);
            Assert.Equal(PinValue.Low, writes[^1].Value);

            // Telemetry: the sensors' figures as the bindings converted them from register bytes, and the capture counts.
            await telemetry.WaitUntilAsync(
                t => t.SumOfReading("captures") >= list.Length,
                TimeSpan.FromSeconds(30),
                () => $"captures {telemetry.SumOfReading("captures")} of {list.Length}");
            Assert.Equal(list.Length, telemetry.SumOfReading("captures"));
            Assert.Equal(list.Count(r => r.Faces.Count > 0), telemetry.SumOfReading("faceCaptures"));
            Assert.Equal(list.Sum(r => r.Faces.Count), telemetry.SumOfReading("faces"));
            Assert.Equal(list.Length, telemetry.SumOfInferenceCalls("version-RFB-320"));
            Assert.All(telemetry.Samples, s =>
            {
                var readings = s.GetProperty("readings");
                Assert.Equal(23.5, readings.GetProperty("temperatureCelsius").GetDouble());
                Assert.Equal(0, readings.GetProperty("sensorFailures").GetDouble());
                Assert.Equal(19.25, readings.GetProperty("airTemperatureCelsius").GetDouble(), 0.01);
                Assert.Equal(1002.5, readings.GetProperty("pressureHectopascals").GetDouble(), 0.01);
                Assert.Equal(71.0, readings.GetProperty("relativeHumidityPercent").GetDouble(), 0.05);
            });
            Assert.True(sensor.TemperatureReads >= telemetry.Samples.Count, $"The LM75 was read {sensor.TemperatureReads} times for {telemetry.Samples.Count} samples.");
            Assert.True(environment.Conversions >= telemetry.Samples.Count, $"The BME280 converted {environment.Conversions} times for {telemetry.Samples.Count} samples.");
            await host.StopAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Records what each observed call carried: its output length and the raw frame attached to it.</summary>
    private sealed class CallRecorder : Edge.Sdk.Inference.IInferenceObserver
    {
        private readonly Lock _lock = new();

        public List<(int Outputs, string? MediaType, byte[]? Frame)> Calls { get; } = [];

        public void OnRun<TInput, TOutput>(Edge.Sdk.Inference.EdgeSession session, ReadOnlySpan<TInput> input, ReadOnlySpan<TOutput> output)
            where TInput : unmanaged
            where TOutput : unmanaged
        {
            var frame = Edge.Sdk.Inference.RawFrames.Current;
            lock (_lock)
            {
                Calls.Add((output.Length, frame?.MediaType, frame?.Data.ToArray()));
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (started.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"Timed out after 30 s waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }
}
