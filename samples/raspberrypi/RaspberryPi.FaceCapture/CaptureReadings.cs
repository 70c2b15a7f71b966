using Edge.Agent;
using Edge.Samples.RaspberryPi.Sensors;

namespace Edge.Samples.RaspberryPi;

/// <summary>
/// The app's telemetry: <c>temperatureCelsius</c> read from the TMP102 at sample time, and, counted since the previous
/// sample, <c>captures</c>, <c>faceCaptures</c> (captures that lit the LED) and <c>faces</c>; <c>sensorFailures</c>
/// counts failed sensor reads since start (the temperature is left out of a sample whose read failed).
/// </summary>
internal sealed class CaptureReadings : ITelemetryReadings
{
    private readonly Tmp102 _sensor;
    private long _captures;
    private long _faceCaptures;
    private long _faces;
    private long _sensorFailures;

    public CaptureReadings(Tmp102 sensor)
    {
        _sensor = sensor;
    }

    public void Record(int faces)
    {
        Interlocked.Increment(ref _captures);
        Interlocked.Add(ref _faces, faces);
        if (faces > 0)
        {
            Interlocked.Increment(ref _faceCaptures);
        }
    }

    public void Read(IDictionary<string, double> readings)
    {
        // The sensor is read without letting its failure reach the agent: that would drop this source's whole
        // sample, and the counters below would already be reset. A failed read only leaves the temperature out.
        try
        {
            readings["temperatureCelsius"] = _sensor.ReadTemperatureCelsius();
        }
        catch (IOException)
        {
            Interlocked.Increment(ref _sensorFailures);
        }

        readings["sensorFailures"] = Volatile.Read(ref _sensorFailures);
        readings["captures"] = Interlocked.Exchange(ref _captures, 0);
        readings["faceCaptures"] = Interlocked.Exchange(ref _faceCaptures, 0);
        readings["faces"] = Interlocked.Exchange(ref _faces, 0);
    }
}
