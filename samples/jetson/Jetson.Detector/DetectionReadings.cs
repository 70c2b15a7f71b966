using Edge.Agent;

namespace Edge.Samples.Jetson;

/// <summary>
/// The detector's own telemetry, counted since the previous sample: <c>frames</c>, <c>targetFrames</c> (frames
/// with the target class, each of which drove the pin high), <c>detections</c> (all classes, after NMS) and
/// <c>pinHigh</c> (the pin's level now, 1 or 0). Counters are updated from the frame loop and read by the agent.
/// </summary>
internal sealed class DetectionReadings : ITelemetryReadings
{
    private long _frames;
    private long _targetFrames;
    private long _detections;
    private int _pinHigh;

    public void Record(int detections, bool targetFound)
    {
        Interlocked.Increment(ref _frames);
        Interlocked.Add(ref _detections, detections);
        if (targetFound)
        {
            Interlocked.Increment(ref _targetFrames);
        }

        Volatile.Write(ref _pinHigh, targetFound ? 1 : 0);
    }

    public void Read(IDictionary<string, double> readings)
    {
        readings["frames"] = Interlocked.Exchange(ref _frames, 0);
        readings["targetFrames"] = Interlocked.Exchange(ref _targetFrames, 0);
        readings["detections"] = Interlocked.Exchange(ref _detections, 0);
        readings["pinHigh"] = Volatile.Read(ref _pinHigh);
    }
}
