using System.CommandLine;
using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Device.I2c;
using Edge.Samples.Frames;
using Edge.Samples.Gpio;
using Edge.Samples.Hosting;
using Edge.Samples.Sensors;
using Edge.Sdk.Inference;
using Microsoft.Extensions.Hosting;

namespace Edge.Samples.Jetson;

/// <summary>Command line of <c>jetson-detector</c>; see samples/jetson/README.md.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var model = new Option<string?>("--model") { Description = "YOLOX-Nano ONNX model (416x416). Optional when OTA serves the model." };
        var provider = new Option<ExecutionProvider>("--provider") { Description = "auto (TensorRT, CUDA, then CPU; says why one is skipped), tensorrt, cuda or cpu.", DefaultValueFactory = _ => ExecutionProvider.Auto };
        var noFp16 = new Option<bool>("--no-fp16") { Description = "Build fp32 TensorRT engines instead of fp16." };
        var engineCache = new Option<string>("--engine-cache") { Description = "Folder for cached TensorRT engines on the device.", DefaultValueFactory = _ => Path.Combine("edge-data", "trt-engines") };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime CPU threads (CPU provider); 0 for its default." };
        var frames = new Option<string>("--frames") { Description = FrameSourceSpec.Forms, DefaultValueFactory = _ => "stdin-mjpeg" };
        var loop = new Option<bool>("--loop") { Description = "Replay an image folder forever." };
        var target = new Option<string>("--class") { Description = "COCO class that drives the pin high.", DefaultValueFactory = _ => "dog" };
        var score = new Option<float>("--score") { Description = "Least detection score, 0 to 1.", DefaultValueFactory = _ => 0.3f };
        var pin = new Option<int>("--gpio-pin") { Description = "Header pin (Orin Nano / Orin NX developer kit numbering).", DefaultValueFactory = _ => 7 };
        var line = new Option<int?>("--gpio-line") { Description = "Line offset on the gpiochip instead of --gpio-pin (other Jetson modules)." };
        var chip = new Option<int>("--gpio-chip") { Description = "gpiochip number (see `gpiodetect`: the chip labelled tegra234-gpio)." };
        var bus = new Option<int>("--i2c-bus") { Description = "I2C bus of the BME280 (/dev/i2c-N; 7 is header pins 3 and 5 on the Orin Nano/NX developer kit).", DefaultValueFactory = _ => 7 };
        var bme280 = new Option<string?>("--bme280-address") { Description = "I2C address of a BME280 environment sensor, 0x76 or 0x77; none when not given." };
        var simulate = new Option<bool>("--simulate") { Description = "No hardware: GPIO writes go to a simulated driver and are logged; a simulated BME280 feeds telemetry." };
        var agent = new AgentCommandLine();

        var root = new RootCommand("YOLOX-Nano object detection for NVIDIA Jetson with GPIO output and the Edge agent embedded.")
        {
            model, provider, noFp16, engineCache, threads, frames, loop, target, score, pin, line, chip, bus, bme280, simulate,
        };
        agent.AddTo(root);
        root.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new DetectorOptions
            {
                ModelPath = parseResult.GetValue(model),
                Provider = parseResult.GetValue(provider),
                Fp16 = !parseResult.GetValue(noFp16),
                EngineCacheDirectory = parseResult.GetValue(engineCache)!,
                CpuThreads = parseResult.GetValue(threads),
                Frames = parseResult.GetValue(frames)!,
                Loop = parseResult.GetValue(loop),
                TargetClass = parseResult.GetValue(target)!,
                ScoreThreshold = parseResult.GetValue(score),
                HeaderPin = parseResult.GetValue(pin),
                GpioLine = parseResult.GetValue(line),
                GpioChip = parseResult.GetValue(chip),
                Simulate = parseResult.GetValue(simulate),
                EnvironmentSensor = new EnvironmentSensorSettings
                {
                    Bus = parseResult.GetValue(bus),
                    Address = parseResult.GetValue(bme280) is { } text ? I2cAddressText.Parse(text) : null,
                },
                StopWhenDone = true,
                Agent = agent.Read(parseResult),
            };
            return await RunAsync(options, cancellationToken);
        });
        return await root.Parse(args).InvokeAsync();
    }

    private static async Task<int> RunAsync(DetectorOptions options, CancellationToken cancellationToken)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await Console.Error.WriteLineAsync("error: " + error);
            }

            return 2;
        }

        var simulated = options.Simulate ? new SimulatedGpioDriver() : null;
        GpioController gpio;
        try
        {
            gpio = simulated is null ? new GpioController(new LibGpiodDriver(options.GpioChip)) : new GpioController(simulated);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // libgpiod missing, no such chip, or no permission: say what to check instead of a stack trace.
            await Console.Error.WriteLineAsync(
                $"error: cannot open gpiochip{options.GpioChip} through libgpiod ({e.GetType().Name}: {e.Message}). " +
                "Install libgpiod (sudo apt install libgpiod2), check the chip number with gpiodetect and access to /dev/gpiochip*, or run with --simulate.");
            return 2;
        }

        using var owned = gpio;
        if (simulated is not null)
        {
            simulated.Written += (_, write) => Console.WriteLine($"[simulated gpio] line {write.Pin} <- {write.Value}");
        }

        I2cDevice? environment;
        try
        {
            environment = options.EnvironmentSensor.Open(options.Simulate);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await Console.Error.WriteLineAsync(
                $"error: cannot open I2C bus {options.EnvironmentSensor.Bus} for the BME280 ({e.GetType().Name}: {e.Message}). Check i2cdetect -l and i2cdetect -y {options.EnvironmentSensor.Bus}, or leave out --bme280-address.");
            return 2;
        }

        using var ownedEnvironment = environment;
        using var host = DetectorHost.Build(options, gpio, environment);
        await host.RunAsync(cancellationToken);
        return Environment.ExitCode;
    }
}
