using System.Device.I2c;

namespace Edge.Samples.RaspberryPi.Sensors;

/// <summary>
/// Texas Instruments TMP102 digital temperature sensor on I2C, read through <see cref="I2cDevice"/> directly (the
/// Iot.Device.Bindings package is not available here, and one register read needs no binding). Datasheet SBOS397:
/// the temperature register (pointer 0x00) holds a 12-bit two's-complement value, left-justified in two bytes
/// (MSB first), at 0.0625 °C per count; range -55 °C to +128 °C in normal (12-bit) mode.
/// </summary>
internal sealed class Tmp102 : IDisposable
{
    /// <summary>Default address with ADD0 tied to ground.</summary>
    public const int DefaultAddress = 0x48;

    /// <summary>Pointer value selecting the temperature register.</summary>
    public const byte TemperatureRegister = 0x00;

    /// <summary>Degrees Celsius per count of the 12-bit reading.</summary>
    public const double CelsiusPerCount = 0.0625;

    private readonly I2cDevice _device;
    private readonly bool _shouldDispose;
    private readonly byte[] _buffer = new byte[2];

    /// <param name="device">The device at the sensor's address.</param>
    /// <param name="shouldDispose">Whether disposing the sensor disposes <paramref name="device"/>.</param>
    public Tmp102(I2cDevice device, bool shouldDispose = true)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        _shouldDispose = shouldDispose;
    }

    /// <summary>Reads the temperature in degrees Celsius (-55 to 128 in 12-bit mode, resolution 0.0625).</summary>
    /// <exception cref="IOException">The bus transfer failed (no device answering at the address).</exception>
    public double ReadTemperatureCelsius()
    {
        lock (_buffer)
        {
            _device.WriteRead([TemperatureRegister], _buffer);
            return ToCelsius(_buffer[0], _buffer[1]);
        }
    }

    /// <summary>Converts the two register bytes (MSB first) to degrees Celsius.</summary>
    public static double ToCelsius(byte msb, byte lsb)
    {
        // 16 bits, left-justified: the low 4 bits are unused in 12-bit mode. An arithmetic shift keeps the sign.
        var raw = (short)((msb << 8) | lsb) >> 4;
        return raw * CelsiusPerCount;
    }

    /// <summary>The two register bytes the sensor returns for <paramref name="celsius"/> (rounded to 0.0625 °C, clamped to the 12-bit range).</summary>
    public static (byte Msb, byte Lsb) FromCelsius(double celsius)
    {
        var counts = (int)Math.Clamp(Math.Round(celsius / CelsiusPerCount), -2048, 2047);
        var word = (ushort)(counts << 4);
        return ((byte)(word >> 8), (byte)word);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_shouldDispose)
        {
            _device.Dispose();
        }
    }
}
