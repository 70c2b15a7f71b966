using System.Device.Gpio;
using Edge.Samples.Frames;
using Edge.Samples.Hosting;
using Edge.Sdk.Inference;
using Edge.Sdk.Processing.Postprocessing;
using Edge.Sdk.Processing.Preprocessing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Samples.RaspberryPi;

/// <summary>
/// The capture loop: wait for a button press (falling edge on the pulled-up input), take the next frame, run
/// UltraFace on the CPU, and light the LED when a face is found (off otherwise).
/// </summary>
internal sealed partial class CaptureService : SampleLoopService<CaptureResult>
{
    // UltraFace: RGB, (pixel - 127) / 128, stretched to 320x240, NCHW (upstream run_video_face_detect_onnx.py).
    private static readonly PreprocessSpec Spec = PreprocessSpec.FromJson("""
        { "width": 320, "height": 240, "colorOrder": "rgb", "mean": [127, 127, 127], "std": [128, 128, 128] }
        """);

    private static readonly long[] InputShape = [1, 3, 240, 320];

    private readonly CaptureOptions _options;
    private readonly ServedModel _model;
    private readonly GpioController _gpio;
    private readonly CaptureReadings _readings;
    private readonly TimeProvider _time;
    private readonly ILogger<CaptureService> _logger;

    public CaptureService(
        CaptureOptions options,
        ServedModel model,
        GpioController gpio,
        CaptureReadings readings,
        LoopProgress<CaptureResult> progress,
        IHostApplicationLifetime lifetime,
        TimeProvider time,
        ILogger<CaptureService> logger)
        : base(progress, options.StopWhenDone, options.Agent.TelemetryInterval, lifetime, time, logger)
    {
        _options = options;
        _model = model;
        _gpio = gpio;
        _readings = readings;
        _time = time;
        _logger = logger;
    }

    protected override async Task<long> RunLoopAsync(CancellationToken cancellationToken)
    {
        _gpio.OpenPin(_options.ButtonPin, PinMode.InputPullUp);
        _gpio.OpenPin(_options.LedPin, PinMode.Output, PinValue.Low);

        var preprocessor = new FramePreprocessor(Spec);
        var input = new float[preprocessor.OutputLength];
        var nms = new NmsOptions { ScoreThreshold = _options.ScoreThreshold, IouThreshold = 0.3f };
        var candidates = new List<Detection>();
        var frame = new CapturedFrame();

        // A press captures the moment it happens: a camera stream is read continuously and only its newest frame is kept.
        await using var source = FrameSourceSpec.Open(_options.Frames, _options.Loop, newestOnly: true);
        LogStarted(_logger, _model.FromOta ? "OTA slot" : "--model", source.Description, _options.ButtonPin, _options.LedPin);

        long captures = 0;
        long? lastPress = null;
        try
        {
            while (true)
            {
                var edge = await _gpio.WaitForEventAsync(_options.ButtonPin, PinEventTypes.Falling, cancellationToken);
                if (edge.TimedOut)
                {
                    break; // cancelled: the app is stopping
                }

                var now = _time.GetTimestamp();
                if (lastPress is { } previous && _time.GetElapsedTime(previous, now) < _options.Debounce)
                {
                    continue;
                }

                lastPress = now;
                if (!await source.ReadAsync(frame, cancellationToken))
                {
                    break;
                }

                var transform = preprocessor.Process(frame, input);
                candidates.Clear();
                var model = _model.Current;
                using (var lease = model.Acquire())
                using (var request = lease.Session.CreateRequest())
                using (RawFrames.Attach(frame.Memory, frame.MediaType))
                {
                    request.SetInput<float>(lease.Session.Inputs[0].Name, input, InputShape);
                    request.Run();

                    // UltraFace has two outputs, so the call goes through a request rather than ModelHost.Run; showing
                    // it to the host's observers (with its first output, what they compare) lets the embedded agent's
                    // shadow evaluation, field-data capture (with this frame, when asked) and drift statistics see it.
                    model.NotifyObservers<float, float>(lease.Session, input, request.GetOutput<float>(lease.Session.Outputs[0].Name));
                    UltraFaceDecoder.Decode(request.GetOutput<float>("scores"), request.GetOutput<float>("boxes"), Spec.Width, Spec.Height, _options.ScoreThreshold, candidates);
                }

                var faces = NonMaxSuppression.Apply(candidates, nms);
                for (var i = 0; i < faces.Length; i++)
                {
                    faces[i] = faces[i] with { Box = transform.ToSource(faces[i].Box) };
                }

                _gpio.Write(_options.LedPin, faces.Length > 0 ? PinValue.High : PinValue.Low);
                _readings.Record(faces.Length);
                captures++;
                LogCapture(_logger, frame.Name, faces.Length);
                Progress.Report(new CaptureResult(frame.Index, frame.Name, faces));
            }
        }
        catch (EndOfStreamException e)
        {
            LogTruncated(_logger, e.Message); // the camera pipeline stopped mid-frame: end cleanly
        }
        finally
        {
            _gpio.Write(_options.LedPin, PinValue.Low);
        }

        LogDone(_logger, captures);
        return captures;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "UltraFace on the CPU (from {ModelOrigin}); frames: {Source}; press the button on GPIO {Button} to capture, LED on GPIO {Led}")]
    private static partial void LogStarted(ILogger logger, string modelOrigin, string source, int button, int led);

    [LoggerMessage(Level = LogLevel.Information, Message = "Capture {Frame}: {Faces} face(s)")]
    private static partial void LogCapture(ILogger logger, string frame, int faces);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}")]
    private static partial void LogTruncated(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Captures done: {Count}")]
    private static partial void LogDone(ILogger logger, long count);
}
