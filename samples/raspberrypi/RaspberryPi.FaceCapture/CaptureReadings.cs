using System.Device.I2c;
using Edge.Agent;
using Iot.Device.Lm75;

namespace Edge.Samples.RaspberryPi;

/// <summary>
/// The app's telemetry: <c>temperatureCelsius</c> read from the LM75 at sample time (through the Iot.Device.Lm75
/// binding: 0.125 °C steps, rounded by the binding to 0.1 °C), and, counted since the previous sample,
/// <c>captures</c>, <c>faceCaptures</c> (captures that lit the LED) and <c>faces</c>; <c>sensorFailures</c> counts
/// failed sensor reads since start (the temperature is left out of a sample whose read failed).
/// </summary>
internal sealed class CaptureReadings : ITelemetryReadings
{
    private readonly I2cDevice _device;
    private Lm75? _sensor;
    private long _captures;
    private long _faceCaptures;
    private long _faces;
    private long _sensorFailures;

    /// <param name="device">The LM75's device; not disposed here (the binding would dispose it, so it is never handed its disposal).</param>
    public CaptureReadings(I2cDevice device)
    {
        _device = device;
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
        // The binding talks to the chip when it is made (it clears the shutdown bit), so it is made on the first
        // read and made again after a failure: a sensor missing at start does not stop the app.
        try
        {
            _sensor ??= new Lm75(_device);
            readings["temperatureCelsius"] = _sensor.Temperature.DegreesCelsius;
        }
        catch (IOException)
        {
            _sensor = null;
            Interlocked.Increment(ref _sensorFailures);
        }

        readings["sensorFailures"] = Volatile.Read(ref _sensorFailures);
        readings["captures"] = Interlocked.Exchange(ref _captures, 0);
        readings["faceCaptures"] = Interlocked.Exchange(ref _faceCaptures, 0);
        readings["faces"] = Interlocked.Exchange(ref _faces, 0);
    }
}
