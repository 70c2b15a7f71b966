using System.Device.I2c;

namespace Edge.Samples.Sensors;

/// <summary>
/// An <see cref="I2cDevice"/> that answers as a Bosch BME280 does on its register level (datasheet
/// BST-BME280-DS002, sections 5 and 6.2), so the Iot.Device.Bmxx80 binding's own register code runs without hardware,
/// for <c>--simulate</c> and tests. Chip id 0x60 at 0xD0; trimming parameters at 0x88..0xA1 and 0xE1..0xE7; writes
/// are a register address followed by data, then further (address, data) pairs; a read returns registers from the
/// last address, incrementing. Writing ctrl_meas (0xF4) latches ctrl_hum (0xF2); forced mode (01 or 10) converts
/// once and returns to sleep, normal mode (11) converts before every read. A skipped measurement (oversampling 0)
/// reads 0x80000 (0x8000 for humidity), as on the chip. Writing 0xB6 to 0xE0 resets. Thread-safe.
/// </summary>
public sealed class SimulatedBme280 : I2cDevice
{
    private const int ChipIdRegister = 0xD0, ResetRegister = 0xE0, HumidityControl = 0xF2, Control = 0xF4, Config = 0xF5;
    private const int PressureData = 0xF7, TemperatureData = 0xFA, HumidityData = 0xFD;

    private readonly Lock _lock = new();
    private readonly byte[] _registers = new byte[256];
    private readonly Bme280Compensation _compensation;
    private byte _pointer;
    private int _humidityOversampling;
    private int _adcTemperature;
    private int _adcPressure;
    private int _adcHumidity;

    /// <param name="temperatureCelsius">Air temperature the chip measures, -40 to 85 °C.</param>
    /// <param name="pressureHectopascals">Air pressure, 300 to 1100 hPa.</param>
    /// <param name="humidityPercent">Relative humidity, 0 to 100 %.</param>
    /// <param name="busId">Bus number for <see cref="ConnectionSettings"/>.</param>
    /// <param name="address">0x76 (SDO to ground) or 0x77.</param>
    /// <param name="compensation">The chip's trimming parameters; default <see cref="Bme280Compensation.DatasheetExample"/>.</param>
    public SimulatedBme280(double temperatureCelsius, double pressureHectopascals, double humidityPercent, int busId = 1, int address = 0x76, Bme280Compensation? compensation = null)
    {
        ConnectionSettings = new I2cConnectionSettings(busId, address);
        _compensation = compensation ?? Bme280Compensation.DatasheetExample;
        _compensation.WriteTo(_registers);
        _registers[ChipIdRegister] = 0x60;
        ResetRegisters();
        SetEnvironment(temperatureCelsius, pressureHectopascals, humidityPercent);
    }

    /// <inheritdoc />
    public override I2cConnectionSettings ConnectionSettings { get; }

    /// <summary>Conversions made (forced or normal mode).</summary>
    public int Conversions { get; private set; }

    /// <summary>Mode bits of ctrl_meas: 0 sleep, 1 or 2 forced, 3 normal.</summary>
    public int Mode
    {
        get
        {
            lock (_lock)
            {
                return _registers[Control] & 0x03;
            }
        }
    }

    /// <summary>Sets the air the chip measures: the raw ADC values whose compensation is nearest to these figures.</summary>
    public void SetEnvironment(double temperatureCelsius, double pressureHectopascals, double humidityPercent)
    {
        var c = _compensation;
        var adcTemperature = Nearest(0, (1 << 20) - 1, adc => c.Celsius(adc), temperatureCelsius);
        var fine = c.FineTemperature(adcTemperature);
        // Pressure falls as its raw value rises: search on the negated figure.
        var adcPressure = Nearest(0, (1 << 20) - 1, adc => -c.Pascals(adc, fine), -pressureHectopascals * 100);
        var adcHumidity = Nearest(0, (1 << 16) - 1, adc => c.RelativeHumidityPercent(adc, fine), humidityPercent);
        SetRaw(adcTemperature, adcPressure, adcHumidity);
    }

    /// <summary>Sets the raw ADC values directly (20, 20 and 16 bits), as the datasheet's examples give them.</summary>
    public void SetRaw(int adcTemperature, int adcPressure, int adcHumidity)
    {
        lock (_lock)
        {
            _adcTemperature = adcTemperature & 0xFFFFF;
            _adcPressure = adcPressure & 0xFFFFF;
            _adcHumidity = adcHumidity & 0xFFFF;
        }
    }

    /// <inheritdoc />
    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    /// <inheritdoc />
    public override void Read(Span<byte> buffer)
    {
        lock (_lock)
        {
            if ((_registers[Control] & 0x03) == 0x03 && _pointer + buffer.Length > PressureData)
            {
                Convert(); // normal mode: the data registers always hold a fresh conversion
            }

            for (var i = 0; i < buffer.Length; i++)
            {
                buffer[i] = _registers[Math.Min(_pointer + i, 0xFF)];
            }
        }
    }

    /// <inheritdoc />
    public override void WriteByte(byte value) => Write([value]);

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            throw new IOException("An I2C write to the BME280 needs at least a register address.");
        }

        lock (_lock)
        {
            _pointer = buffer[0];
            for (var i = 0; i + 1 < buffer.Length; i += 2)
            {
                WriteRegister(buffer[i], buffer[i + 1]);
            }
        }
    }

    /// <inheritdoc />
    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    private static int Nearest(int low, int high, Func<int, double> figure, double target)
    {
        // First raw value whose figure reaches the target (the figure rises with it), then the nearer neighbour.
        var (lo, hi) = (low, high);
        while (lo < hi)
        {
            var middle = lo + ((hi - lo) / 2);
            if (figure(middle) < target)
            {
                lo = middle + 1;
            }
            else
            {
                hi = middle;
            }
        }

        return lo > low && Math.Abs(figure(lo - 1) - target) <= Math.Abs(figure(lo) - target) ? lo - 1 : lo;
    }

    private void WriteRegister(byte register, byte value)
    {
        switch (register)
        {
            case ResetRegister when value == 0xB6:
                ResetRegisters();
                break;
            case HumidityControl:
                _registers[HumidityControl] = (byte)(value & 0x07);
                break;
            case Config:
                _registers[Config] = (byte)(value & 0xFD); // bit 1 does not exist
                break;
            case Control:
                _registers[Control] = value;
                _humidityOversampling = _registers[HumidityControl] & 0x07; // ctrl_hum takes effect now
                if ((value & 0x03) is 0x01 or 0x02)
                {
                    Convert();
                    _registers[Control] = (byte)(value & 0xFC); // a forced conversion ends in sleep
                }

                break;
        }
    }

    private void Convert()
    {
        var control = _registers[Control];
        Put20(TemperatureData, ((control >> 5) & 0x07) == 0 ? 0x80000 : _adcTemperature);
        Put20(PressureData, ((control >> 2) & 0x07) == 0 ? 0x80000 : _adcPressure);
        var humidity = _humidityOversampling == 0 ? 0x8000 : _adcHumidity;
        _registers[HumidityData] = (byte)(humidity >> 8);
        _registers[HumidityData + 1] = (byte)humidity;
        Conversions++;
    }

    private void Put20(int register, int value)
    {
        _registers[register] = (byte)(value >> 12);
        _registers[register + 1] = (byte)(value >> 4);
        _registers[register + 2] = (byte)((value & 0x0F) << 4);
    }

    private void ResetRegisters()
    {
        _registers[HumidityControl] = 0;
        _registers[Control] = 0;
        _registers[Config] = 0;
        _humidityOversampling = 0;
        Put20(PressureData, 0x80000);
        Put20(TemperatureData, 0x80000);
        _registers[HumidityData] = 0x80;
        _registers[HumidityData + 1] = 0x00;
    }
}
