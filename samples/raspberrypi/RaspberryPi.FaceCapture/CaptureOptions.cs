using Edge.Samples.Frames;
using Edge.Samples.Hosting;
using Edge.Samples.Sensors;
using Edge.Sdk.Inference;

namespace Edge.Samples.RaspberryPi;

/// <summary>What the capture app runs, where frames come from, and its pins and sensor. Validated as a whole.</summary>
internal sealed record CaptureOptions
{
    /// <summary>UltraFace ONNX model (320x240 input: version-RFB-320 or version-slim-320); optional when OTA serves the model.</summary>
    public string? ModelPath { get; init; }

    /// <summary>ONNX Runtime CPU threads; 0 for its default (one per core). Default 0.</summary>
    public int CpuThreads { get; init; }

    /// <summary>The <c>--frames</c> value (<see cref="FrameSourceSpec.Forms"/>).</summary>
    public string Frames { get; init; } = "stdin-mjpeg";

    /// <summary>Replays an image folder forever.</summary>
    public bool Loop { get; init; }

    /// <summary>Least face score, 0 to 1. Default 0.7.</summary>
    public float ScoreThreshold { get; init; } = 0.7f;

    /// <summary>Button input, BCM GPIO number (the button connects it to ground; the internal pull-up is on). Default 17 (header pin 11).</summary>
    public int ButtonPin { get; init; } = 17;

    /// <summary>LED output, BCM GPIO number. Default 27 (header pin 13).</summary>
    public int LedPin { get; init; } = 27;

    /// <summary>Edges closer than this to the previous accepted press are contact bounce and ignored. Default 50 ms.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>I2C bus of the LM75 temperature sensor and the BME280. Default 1 (header pins 3 and 5).</summary>
    public int I2cBus { get; init; } = 1;

    /// <summary>I2C address of the LM75, 0x48 to 0x4F (pins A2..A0). Default 0x48.</summary>
    public int I2cAddress { get; init; } = 0x48;

    /// <summary>BME280 environment sensor on <see cref="I2cBus"/> at this address (0x76 or 0x77), or null for none (the default).</summary>
    public int? Bme280Address { get; init; }

    /// <summary>The BME280's bus and address.</summary>
    public EnvironmentSensorSettings EnvironmentSensor => new() { Bus = I2cBus, Address = Bme280Address };

    /// <summary>Runs without hardware: simulated GPIO (the button is pressed whenever the app waits for it) and simulated LM75 and BME280 chips under the real bindings.</summary>
    public bool Simulate { get; init; }

    /// <summary>Stops the app when a finite source ends. The CLI sets it; tests stop the host themselves.</summary>
    public bool StopWhenDone { get; init; }

    /// <summary>The embedded agent's settings.</summary>
    public AgentSettings Agent { get; init; } = new();

    /// <summary>Every problem with these options, each naming the option and the value; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(ServedModel.ValidateSource(ModelPath, Agent));
        errors.AddRange(FrameSourceSpec.Validate(Frames));
        if (ScoreThreshold is <= 0 or > 1 || float.IsNaN(ScoreThreshold))
        {
            errors.Add($"--score {ScoreThreshold} is outside (0, 1].");
        }

        if (CpuThreads < 0)
        {
            errors.Add($"--threads {CpuThreads} is negative; use 0 for ONNX Runtime's default.");
        }

        if (ButtonPin is < 0 or > 27 || LedPin is < 0 or > 27)
        {
            errors.Add($"--button-pin {ButtonPin} and --led-pin {LedPin} must be BCM GPIO numbers 0 to 27 (the 40-pin header's GPIOs).");
        }
        else if (ButtonPin == LedPin)
        {
            errors.Add($"--button-pin and --led-pin are both GPIO {ButtonPin}; they must differ.");
        }

        if (Debounce < TimeSpan.Zero || Debounce > TimeSpan.FromSeconds(1))
        {
            errors.Add($"--debounce-ms {Debounce.TotalMilliseconds} is outside 0 to 1000.");
        }

        if (I2cBus < 0 || I2cAddress is < 0x48 or > 0x4F)
        {
            errors.Add($"--i2c-bus {I2cBus} must not be negative and --i2c-address 0x{I2cAddress:X2} must be an LM75 address, 0x48 to 0x4F.");
        }

        if (Bme280Address is { } bme280)
        {
            errors.AddRange(EnvironmentSensor.Validate().Where(e => !e.StartsWith("--i2c-bus", StringComparison.Ordinal)));
            if (bme280 == I2cAddress)
            {
                errors.Add($"--bme280-address and --i2c-address are both 0x{bme280:X2}; they must differ.");
            }
        }

        errors.AddRange(Agent.Validate());
        return errors;
    }

    /// <summary>The session options: CPU only (the Pi has no ONNX Runtime GPU provider).</summary>
    public EdgeSessionOptions SessionOptions() => new()
    {
        Provider = ExecutionProvider.Cpu,
        Cpu = new CpuProviderOptions { IntraOpThreads = CpuThreads },
    };
}
