using System.Device.I2c;

namespace Edge.Samples.Sensors;

/// <summary>Where the optional BME280 environment sensor is: an I2C bus and address, or none.</summary>
public sealed record EnvironmentSensorSettings
{
    /// <summary>The address with SDO tied to ground, which most breakout boards use.</summary>
    public const int DefaultAddress = 0x76;

    /// <summary>I2C bus number (<c>/dev/i2c-N</c>), 0 or more.</summary>
    public int Bus { get; init; }

    /// <summary>0x76 or 0x77 (SDO to VDDIO); null when the device has no BME280 (the default).</summary>
    public int? Address { get; init; }

    /// <summary>What <c>--simulate</c> measures: 24 °C, 1013.25 hPa, 45 %RH.</summary>
    public static (double Celsius, double Hectopascals, double HumidityPercent) SimulatedAir => (24.0, 1013.25, 45.0);

    /// <summary>
    /// The sensor's device: a <see cref="SimulatedBme280"/> (at <see cref="Address"/> or the default) when
    /// <paramref name="simulate"/>, the bus device when an address is set, otherwise null. The caller disposes it.
    /// </summary>
    /// <exception cref="IOException">The bus cannot be opened.</exception>
    public I2cDevice? Open(bool simulate)
    {
        if (simulate)
        {
            var air = SimulatedAir;
            return new SimulatedBme280(air.Celsius, air.Hectopascals, air.HumidityPercent, Bus, Address ?? DefaultAddress);
        }

        return Address is { } address ? I2cDevice.Create(new I2cConnectionSettings(Bus, address)) : null;
    }

    /// <summary>Every problem, naming the options; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Address is { } address && address is not (0x76 or 0x77))
        {
            errors.Add($"--bme280-address 0x{address:X2} is not a BME280 address; expected 0x76 or 0x77.");
        }

        if (Bus < 0)
        {
            errors.Add($"--i2c-bus {Bus} must not be negative.");
        }

        return errors;
    }
}
