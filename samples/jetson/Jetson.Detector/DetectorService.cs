using System.Device.Gpio;
using Edge.Samples.Frames;
using Edge.Samples.Hosting;
using Edge.Sdk.Inference;
using Edge.Sdk.Processing.Postprocessing;
using Edge.Sdk.Processing.Preprocessing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Samples.Jetson;

/// <summary>
/// The frame loop: read a frame, letterbox it to 416x416, run YOLOX-Nano, decode and NMS, and drive the pin high
/// when the target class is present (low otherwise). Every frame writes the pin, so its level always matches the
/// latest frame.
/// </summary>
internal sealed partial class DetectorService : SampleLoopService<FrameResult>
{
    // YOLOX-Nano: BGR, raw 0..255, letterboxed to the top-left with grey 114, NCHW (models/README.md).
    private static readonly PreprocessSpec Spec = PreprocessSpec.FromJson("""
        { "width": 416, "height": 416, "resize": "letterbox", "padValue": 114, "alignment": "topLeft", "colorOrder": "bgr" }
        """);

    private readonly DetectorOptions _options;
    private readonly ServedModel _model;
    private readonly GpioController _gpio;
    private readonly DetectionReadings _readings;
    private readonly ILogger<DetectorService> _logger;
    private readonly TimeProvider _time;

    public DetectorService(
        DetectorOptions options,
        ServedModel model,
        GpioController gpio,
        DetectionReadings readings,
        LoopProgress<FrameResult> progress,
        IHostApplicationLifetime lifetime,
        TimeProvider time,
        ILogger<DetectorService> logger)
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
        var line = _options.ResolveLine();
        var target = CocoClasses.IdOf(_options.TargetClass);
        _gpio.OpenPin(line, PinMode.Output, PinValue.Low);

        var preprocessor = new FramePreprocessor(Spec);
        var decoder = new YoloxDecoder(Spec.Width, Spec.Height);
        var nms = new NmsOptions { ScoreThreshold = _options.ScoreThreshold, IouThreshold = 0.45f };
        var input = new float[preprocessor.OutputLength];
        var output = new float[decoder.AnchorCount * (5 + CocoClasses.Names.Count)];
        var candidates = new List<Detection>();
        var frame = new CapturedFrame();

        await using var source = FrameSourceSpec.Open(_options.Frames, _options.Loop);
        using (var lease = _model.Current.Acquire())
        {
            LogStarted(_logger, lease.Session.ModelName, lease.Session.Provider.ToString(), _model.FromOta ? "OTA slot" : "--model",
                source.Description, _options.TargetClass, line, _options.GpioChip);
        }

        var started = _time.GetTimestamp();
        long count = 0;
        try
        {
            while (await source.ReadAsync(frame, cancellationToken))
            {
                var transform = preprocessor.Process(frame, input);
                // The camera's frame goes with the call, so the agent's field-data capture can keep it when the
                // fleet asked for raw frames (edge-fleet capture enable --raw-frames); otherwise nothing is copied.
                using (RawFrames.Attach(frame.Memory, frame.MediaType))
                {
                    _model.Current.Run<float, float>(input, output);
                }

                candidates.Clear();
                decoder.Decode(output, _options.ScoreThreshold, candidates);
                var kept = NonMaxSuppression.Apply(candidates, nms);
                var found = false;
                for (var i = 0; i < kept.Length; i++)
                {
                    kept[i] = kept[i] with { Box = transform.ToSource(kept[i].Box) };
                    found |= kept[i].ClassId == target;
                }

                _gpio.Write(line, found ? PinValue.High : PinValue.Low);
                _readings.Record(kept.Length, found);
                count++;
                if (_logger.IsEnabled(LogLevel.Debug))
                {
                    LogFrame(_logger, frame.Name, kept.Length, found);
                }

                Progress.Report(new FrameResult(frame.Index, frame.Name, kept, found));
            }
        }
        catch (EndOfStreamException e)
        {
            LogTruncated(_logger, e.Message); // a camera pipeline stopped mid-frame: end cleanly with what was read
        }
        finally
        {
            _gpio.Write(line, PinValue.Low);
        }

        var seconds = _time.GetElapsedTime(started).TotalSeconds;
        LogDone(_logger, count, seconds, seconds > 0 ? count / seconds : 0);
        return count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Running {Model} on {Provider} (from {ModelOrigin}); frames: {Source}; '{Target}' drives line {Line} of gpiochip{Chip} high")]
    private static partial void LogStarted(ILogger logger, string model, string provider, string modelOrigin, string source, string target, int line, int chip);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Frame}: {Count} detections, target {Found}")]
    private static partial void LogFrame(ILogger logger, string frame, int count, bool found);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}")]
    private static partial void LogTruncated(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Frames done: {Count} in {Seconds:0.00} s ({Fps:0.0} frames/s, decode + preprocess + inference + GPIO)")]
    private static partial void LogDone(ILogger logger, long count, double seconds, double fps);
}
