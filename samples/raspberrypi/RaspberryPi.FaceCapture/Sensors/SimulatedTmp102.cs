using System.Device.I2c;

namespace Edge.Samples.RaspberryPi.Sensors;

/// <summary>
/// An <see cref="I2cDevice"/> that answers like a TMP102 at 0x48 on bus 1, for <c>--simulate</c> and tests: writing a
/// register pointer selects it, and reads return that register's two bytes. Only the temperature register has a
/// value; others read as zero. Thread-safe.
/// </summary>
internal sealed class SimulatedTmp102 : I2cDevice
{
    private readonly Lock _lock = new();
    private byte _pointer;
    private double _temperatureCelsius;

    public SimulatedTmp102(double temperatureCelsius, int busId = 1, int address = Tmp102.DefaultAddress)
    {
        ConnectionSettings = new I2cConnectionSettings(busId, address);
        _temperatureCelsius = temperatureCelsius;
    }

    public override I2cConnectionSettings ConnectionSettings { get; }

    /// <summary>The temperature the simulated sensor measures.</summary>
    public double TemperatureCelsius
    {
        get
        {
            lock (_lock)
            {
                return _temperatureCelsius;
            }
        }

        set
        {
            lock (_lock)
            {
                _temperatureCelsius = value;
            }
        }
    }

    /// <summary>Number of register reads the app made.</summary>
    public int Reads { get; private set; }

    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    public override void Read(Span<byte> buffer)
    {
        lock (_lock)
        {
            var (msb, lsb) = _pointer == Tmp102.TemperatureRegister ? Tmp102.FromCelsius(_temperatureCelsius) : ((byte)0, (byte)0);
            for (var i = 0; i < buffer.Length; i++)
            {
                buffer[i] = (i % 2) == 0 ? msb : lsb;
            }

            Reads++;
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            throw new ArgumentException("An I2C write to the TMP102 needs at least the register pointer byte.", nameof(buffer));
        }

        lock (_lock)
        {
            _pointer = buffer[0];
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }
}
