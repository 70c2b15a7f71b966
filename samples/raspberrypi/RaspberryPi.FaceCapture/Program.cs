using System.CommandLine;
using System.Device.Gpio;
using System.Device.I2c;
using Edge.Samples.Frames;
using Edge.Samples.Gpio;
using Edge.Samples.Hosting;
using Edge.Samples.RaspberryPi.Sensors;
using Edge.Samples.Sensors;
using Microsoft.Extensions.Hosting;

namespace Edge.Samples.RaspberryPi;

/// <summary>Command line of <c>rpi-face-capture</c>; see samples/raspberrypi/README.md.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var model = new Option<string?>("--model") { Description = "UltraFace ONNX model (320x240: version-RFB-320.onnx or version-slim-320.onnx)." };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime CPU threads; 0 for its default (one per core)." };
        var frames = new Option<string>("--frames") { Description = FrameSourceSpec.Forms, DefaultValueFactory = _ => "stdin-mjpeg" };
        var loop = new Option<bool>("--loop") { Description = "Replay an image folder forever." };
        var score = new Option<float>("--score") { Description = "Least face score, 0 to 1.", DefaultValueFactory = _ => 0.7f };
        var button = new Option<int>("--button-pin") { Description = "Button input, BCM GPIO number (button to ground).", DefaultValueFactory = _ => 17 };
        var led = new Option<int>("--led-pin") { Description = "LED output, BCM GPIO number.", DefaultValueFactory = _ => 27 };
        var debounce = new Option<int?>("--debounce-ms") { Description = "Ignore button edges closer than this to the previous press (default 50; 0 with --simulate)." };
        var bus = new Option<int>("--i2c-bus") { Description = "I2C bus of the LM75 and the BME280 (/dev/i2c-N).", DefaultValueFactory = _ => 1 };
        var address = new Option<string>("--i2c-address") { Description = "I2C address of the LM75 temperature sensor, hex (0x48 to 0x4F).", DefaultValueFactory = _ => "0x48" };
        var bme280 = new Option<string?>("--bme280-address") { Description = "I2C address of a BME280 environment sensor, 0x76 or 0x77; none when not given." };
        var simulate = new Option<bool>("--simulate") { Description = "No hardware: the button is pressed whenever the app waits, the LED is logged, a simulated LM75 reads 21.5 °C and a simulated BME280 24 °C, 1013.25 hPa, 45 %RH." };
        var agent = new AgentCommandLine();

        var root = new RootCommand("Raspberry Pi face capture: a button triggers UltraFace on the CPU, an LED shows a face, an LM75 and a BME280 feed telemetry.")
        {
            model, threads, frames, loop, score, button, led, debounce, bus, address, bme280, simulate,
        };
        agent.AddTo(root);
        root.SetAction(async (parseResult, cancellationToken) =>
        {
            var isSimulated = parseResult.GetValue(simulate);
            var options = new CaptureOptions
            {
                ModelPath = parseResult.GetValue(model),
                CpuThreads = parseResult.GetValue(threads),
                Frames = parseResult.GetValue(frames)!,
                Loop = parseResult.GetValue(loop),
                ScoreThreshold = parseResult.GetValue(score),
                ButtonPin = parseResult.GetValue(button),
                LedPin = parseResult.GetValue(led),
                Debounce = TimeSpan.FromMilliseconds(parseResult.GetValue(debounce) ?? (isSimulated ? 0 : 50)),
                I2cBus = parseResult.GetValue(bus),
                I2cAddress = I2cAddressText.Parse(parseResult.GetValue(address)!),
                Bme280Address = parseResult.GetValue(bme280) is { } text ? I2cAddressText.Parse(text) : null,
                Simulate = isSimulated,
                StopWhenDone = true,
                Agent = agent.Read(parseResult),
            };
            return await RunAsync(options, cancellationToken);
        });
        return await root.Parse(args).InvokeAsync();
    }

    private static async Task<int> RunAsync(CaptureOptions options, CancellationToken cancellationToken)
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

        GpioController gpio;
        I2cDevice sensor;
        if (options.Simulate)
        {
            var driver = new SimulatedGpioDriver(pinCount: 28) { PressButtonWhenWaitedFor = true };
            driver.Written += (_, write) => Console.WriteLine($"[simulated gpio] GPIO {write.Pin} <- {write.Value}");
            gpio = new GpioController(driver);
            sensor = new SimulatedLm75(21.5, options.I2cBus, options.I2cAddress);
        }
        else
        {
            try
            {
                gpio = new GpioController();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                await Console.Error.WriteLineAsync($"error: cannot open the GPIO controller ({e.GetType().Name}: {e.Message}). Check that your user is in the gpio group, or run with --simulate.");
                return 2;
            }

            try
            {
                sensor = I2cDevice.Create(new I2cConnectionSettings(options.I2cBus, options.I2cAddress));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                gpio.Dispose();
                await Console.Error.WriteLineAsync(
                    $"error: cannot open I2C bus {options.I2cBus} at 0x{options.I2cAddress:X2} ({e.GetType().Name}: {e.Message}). Enable I2C with raspi-config and check i2cdetect -y {options.I2cBus}, or run with --simulate.");
                return 2;
            }
        }

        I2cDevice? environment;
        try
        {
            environment = options.EnvironmentSensor.Open(options.Simulate);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            gpio.Dispose();
            sensor.Dispose();
            await Console.Error.WriteLineAsync(
                $"error: cannot open I2C bus {options.I2cBus} for the BME280 ({e.GetType().Name}: {e.Message}). Check i2cdetect -y {options.I2cBus}, or leave out --bme280-address.");
            return 2;
        }

        using (gpio)
        using (sensor)
        using (environment)
        using (var host = CaptureHost.Build(options, gpio, sensor, environment))
        {
            await host.RunAsync(cancellationToken);
        }

        return Environment.ExitCode;
    }
}
