using System.Device.I2c;
using Edge.Agent;
using Iot.Device.Bmxx80;

namespace Edge.Samples.Sensors;

/// <summary>
/// A BME280 environment sensor read through the Iot.Device.Bmxx80 binding into the agent's telemetry: each sample
/// triggers one forced conversion and adds <c>airTemperatureCelsius</c>, <c>relativeHumidityPercent</c> (0 to 100)
/// and <c>pressureHectopascals</c>, plus <c>environmentSensorFailures</c>, failed reads since start (a failed read
/// leaves the three figures out of that sample). Why a camera device carries one: a lens fogs and a board throttles
/// long before anything fails, and the enclosure's humidity and temperature say so first.
/// </summary>
public sealed class EnvironmentReadings : ITelemetryReadings
{
    private readonly I2cDevice _device;
    private readonly Lock _lock = new();
    private Bme280? _sensor;
    private long _failures;

    /// <param name="device">The BME280's device at 0x76 or 0x77; the caller disposes it (the binding is never disposed, as it would dispose the device).</param>
    public EnvironmentReadings(I2cDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
    }

    /// <inheritdoc />
    public void Read(IDictionary<string, double> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        lock (_lock)
        {
            try
            {
                // The binding checks the chip id and reads the trimming parameters when it is made, so a sensor
                // missing at start only costs failed samples, and one plugged in later is picked up.
                _sensor ??= new Bme280(_device);
                var result = _sensor.Read();
                if (result.Temperature is { } temperature)
                {
                    readings["airTemperatureCelsius"] = temperature.DegreesCelsius;
                }

                if (result.Humidity is { } humidity)
                {
                    readings["relativeHumidityPercent"] = humidity.Percent;
                }

                if (result.Pressure is { } pressure)
                {
                    readings["pressureHectopascals"] = pressure.Hectopascals;
                }
            }
            catch (IOException)
            {
                _sensor = null;
                _failures++;
            }

            readings["environmentSensorFailures"] = _failures;
        }
    }
}
