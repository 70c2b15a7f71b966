using Edge.Samples.Frames;
using Edge.Samples.Hosting;
using Edge.Samples.Sensors;
using Edge.Sdk.Inference;

namespace Edge.Samples.Jetson;

/// <summary>What the detector runs, where frames come from and which pin it drives. Validated as a whole.</summary>
internal sealed record DetectorOptions
{
    /// <summary>The YOLOX-Nano ONNX model (416x416 input); optional when OTA serves the model.</summary>
    public string? ModelPath { get; init; }

    /// <summary>Execution provider; <see cref="ExecutionProvider.Auto"/> tries TensorRT, then CUDA, then CPU and logs why it skipped one.</summary>
    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Auto;

    /// <summary>Whether TensorRT builds fp16 engines (Jetson GPUs run fp16 at about twice the fp32 rate). Default true.</summary>
    public bool Fp16 { get; init; } = true;

    /// <summary>Where TensorRT engines are cached on the device; building one takes minutes, loading it seconds.</summary>
    public string EngineCacheDirectory { get; init; } = Path.Combine("edge-data", "trt-engines");

    /// <summary>CPU threads for ONNX Runtime when it runs on the CPU; 0 for ONNX Runtime's default.</summary>
    public int CpuThreads { get; init; }

    /// <summary>The <c>--frames</c> value (<see cref="FrameSourceSpec.Forms"/>).</summary>
    public string Frames { get; init; } = "stdin-mjpeg";

    /// <summary>Replays an image folder forever instead of stopping after one pass.</summary>
    public bool Loop { get; init; }

    /// <summary>COCO class that drives the pin high. Default <c>dog</c>.</summary>
    public string TargetClass { get; init; } = "dog";

    /// <summary>Least objectness x class score for a detection, 0 to 1. Default 0.3.</summary>
    public float ScoreThreshold { get; init; } = 0.3f;

    /// <summary>Header pin (1 to 40) on the Orin Nano / Orin NX developer kit. Default 7.</summary>
    public int HeaderPin { get; init; } = 7;

    /// <summary>A line offset to use instead of the header table (other Jetson modules), or null.</summary>
    public int? GpioLine { get; init; }

    /// <summary>The gpiochip number for libgpiod. Default 0.</summary>
    public int GpioChip { get; init; }

    /// <summary>The optional BME280 environment sensor; default none. Bus 7 is header pins 3 and 5 on the Orin Nano/NX developer kit.</summary>
    public EnvironmentSensorSettings EnvironmentSensor { get; init; } = new() { Bus = 7 };

    /// <summary>Runs without hardware: a simulated GPIO driver records the writes.</summary>
    public bool Simulate { get; init; }

    /// <summary>Stops the app when a finite source ends (an image folder, a closed pipe). The CLI sets it; tests stop the host themselves.</summary>
    public bool StopWhenDone { get; init; }

    /// <summary>The embedded agent's settings.</summary>
    public AgentSettings Agent { get; init; } = new();

    /// <summary>The line offset that the pin setting resolves to.</summary>
    public int ResolveLine()
    {
        if (GpioLine is { } line)
        {
            return line;
        }

        return JetsonHeader.TryGetLine(HeaderPin, out var fromHeader, out _)
            ? fromHeader
            : throw new ArgumentException($"Header pin {HeaderPin} is not a GPIO on the Orin Nano/NX header; GPIO pins are {string.Join(", ", JetsonHeader.GpioPins)}.");
    }

    /// <summary>Every problem with these options, each naming the option and the value; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(ServedModel.ValidateSource(ModelPath, Agent));
        errors.AddRange(FrameSourceSpec.Validate(Frames));
        if (CocoClasses.IdOf(TargetClass) < 0)
        {
            errors.Add($"--class '{TargetClass}' is not a COCO class; expected one of: {string.Join(", ", CocoClasses.Names)}.");
        }

        if (ScoreThreshold is <= 0 or > 1 || float.IsNaN(ScoreThreshold))
        {
            errors.Add($"--score {ScoreThreshold} is outside (0, 1].");
        }

        if (CpuThreads < 0)
        {
            errors.Add($"--threads {CpuThreads} is negative; use 0 for ONNX Runtime's default.");
        }

        if (GpioLine is null && !JetsonHeader.TryGetLine(HeaderPin, out _, out _))
        {
            errors.Add($"--gpio-pin {HeaderPin} is not a GPIO on the Orin Nano/NX header; expected one of {string.Join(", ", JetsonHeader.GpioPins)}, or give --gpio-line.");
        }

        if (GpioLine < 0 || GpioChip < 0)
        {
            errors.Add($"--gpio-line {GpioLine} and --gpio-chip {GpioChip} must not be negative.");
        }

        errors.AddRange(EnvironmentSensor.Validate());
        errors.AddRange(Agent.Validate());
        return errors;
    }

    /// <summary>The session options for the chosen provider.</summary>
    public EdgeSessionOptions SessionOptions() => new()
    {
        Provider = Provider,
        Cpu = new CpuProviderOptions { IntraOpThreads = CpuThreads },
        TensorRt = new TensorRtProviderOptions { EnableFp16 = Fp16, EngineCacheDirectory = EngineCacheDirectory },
    };
}
