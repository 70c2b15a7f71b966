using System.Device.I2c;

namespace Edge.Samples.RaspberryPi.Sensors;

/// <summary>
/// An <see cref="I2cDevice"/> that answers as an LM75 temperature sensor does on its register level (NXP LM75B /
/// TI LM75A datasheets), so the Iot.Device.Lm75 binding's own register code runs without hardware, for
/// <c>--simulate</c> and tests. The first byte of a write is the pointer (0 temperature, 1 configuration, 2 Thyst,
/// 3 Tos); further bytes write the pointed register, MSB first. A read returns the pointed register's bytes, MSB
/// first, repeated for longer reads. Temperature is 11-bit two's complement, left-justified, 0.125 °C per count,
/// -55 to +125 °C; in shutdown (configuration bit 0) the register keeps its last conversion. Thread-safe.
/// </summary>
internal sealed class SimulatedLm75 : I2cDevice
{
    /// <summary>Pointer of the temperature register (read-only).</summary>
    public const byte TemperatureRegister = 0;

    /// <summary>Pointer of the one-byte configuration register.</summary>
    public const byte ConfigurationRegister = 1;

    private const byte HysteresisRegister = 2;

    private readonly Lock _lock = new();
    private byte _pointer;
    private byte _configuration;
    private ushort _temperatureWord;
    private ushort _hysteresisWord = ToWord(75);      // power-on defaults: Thyst 75 °C, Tos 80 °C
    private ushort _overtemperatureWord = ToWord(80);
    private double _temperatureCelsius;
    private int _temperatureReads;

    /// <param name="temperatureCelsius">What the chip measures at first.</param>
    /// <param name="busId">Bus number for <see cref="ConnectionSettings"/>.</param>
    /// <param name="address">Address for <see cref="ConnectionSettings"/>, 0x48 to 0x4F.</param>
    public SimulatedLm75(double temperatureCelsius, int busId = 1, int address = 0x48)
    {
        ConnectionSettings = new I2cConnectionSettings(busId, address);
        TemperatureCelsius = temperatureCelsius;
    }

    public override I2cConnectionSettings ConnectionSettings { get; }

    /// <summary>The temperature the chip measures; the register follows it unless the chip is shut down.</summary>
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
                Convert();
            }
        }
    }

    /// <summary>The configuration register as last written (bit 0: shutdown).</summary>
    public byte Configuration
    {
        get
        {
            lock (_lock)
            {
                return _configuration;
            }
        }
    }

    /// <summary>Number of reads of the temperature register.</summary>
    public int TemperatureReads => Volatile.Read(ref _temperatureReads);

    /// <summary>The register word for <paramref name="celsius"/>: nearest 0.125 °C count, clamped to -55..125 °C, shifted left by 5.</summary>
    public static ushort ToWord(double celsius)
    {
        var counts = (int)Math.Round(Math.Clamp(celsius, -55, 125) / 0.125, MidpointRounding.AwayFromZero);
        return (ushort)(counts << 5);
    }

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
            Span<byte> register = stackalloc byte[2];
            var length = 2;
            if (_pointer == ConfigurationRegister)
            {
                register[0] = _configuration;
                length = 1;
            }
            else
            {
                var word = _pointer switch
                {
                    TemperatureRegister => _temperatureWord,
                    HysteresisRegister => _hysteresisWord,
                    _ => _overtemperatureWord,
                };
                register[0] = (byte)(word >> 8);
                register[1] = (byte)word;
            }

            for (var i = 0; i < buffer.Length; i++)
            {
                buffer[i] = register[i % length];
            }

            if (_pointer == TemperatureRegister)
            {
                _temperatureReads++;
            }
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            throw new IOException("An I2C write to the LM75 needs at least the pointer byte.");
        }

        lock (_lock)
        {
            // The pointer has 2 bits; the chip ignores the others. The temperature register is read-only.
            _pointer = (byte)(buffer[0] & 0x03);
            var data = buffer[1..];
            if (data.IsEmpty || _pointer == TemperatureRegister)
            {
                return;
            }

            if (_pointer == ConfigurationRegister)
            {
                _configuration = data[0];
                Convert(); // leaving shutdown resumes conversions
            }
            else if (data.Length >= 2)
            {
                // Thyst and Tos are 9 bits, 0.5 °C: the low 7 bits of the second byte do not exist.
                var word = (ushort)((data[0] << 8) | (data[1] & 0x80));
                if (_pointer == HysteresisRegister)
                {
                    _hysteresisWord = word;
                }
                else
                {
                    _overtemperatureWord = word;
                }
            }
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    private void Convert()
    {
        if ((_configuration & 0x01) == 0)
        {
            _temperatureWord = ToWord(_temperatureCelsius);
        }
    }
}
