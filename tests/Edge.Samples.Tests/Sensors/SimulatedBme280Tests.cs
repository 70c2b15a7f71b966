using Edge.Samples.Sensors;
using Iot.Device.Bmxx80;

namespace Edge.Samples.Tests.Sensors;

/// <summary>The Iot.Device.Bmxx80 binding's register code (chip id, trimming parameters, forced mode, data registers) over the simulated BME280.</summary>
public sealed class SimulatedBme280Tests
{
    [Fact]
    public void Read_DatasheetExampleRawValues_GivesTheDatasheetsFigures()
    {
        // Bosch BMP280 datasheet, section 3.12: with its trimming parameters, adc_T 519888 is 25.08 °C and
        // adc_P 415148 is 100653.27 Pa. The BME280 uses the same formulas for both.
        using var chip = new SimulatedBme280(0, 1000, 50);
        chip.SetRaw(519888, 415148, 0x8000);
        using var sensor = new Bme280(chip);

        var result = sensor.Read();

        Assert.Equal(25.08, result.Temperature!.Value.DegreesCelsius, 0.005);
        Assert.Equal(100653.27, result.Pressure!.Value.Pascals, 0.5);
    }

    [Theory]
    [InlineData(24.0, 1013.25, 45.0)]
    [InlineData(-10.0, 850.0, 90.0)]
    [InlineData(60.0, 1100.0, 5.0)]
    public void Read_SimulatedAir_BindingReadsItBack(double celsius, double hectopascals, double humidityPercent)
    {
        using var chip = new SimulatedBme280(celsius, hectopascals, humidityPercent);
        using var sensor = new Bme280(chip);

        var result = sensor.Read();

        Assert.Equal(celsius, result.Temperature!.Value.DegreesCelsius, 0.01);
        Assert.Equal(hectopascals, result.Pressure!.Value.Hectopascals, 0.01);
        Assert.Equal(humidityPercent, result.Humidity!.Value.Percent, 0.05);
    }

    [Fact]
    public void Read_ForcedMode_ConvertsOnceAndReturnsToSleep()
    {
        using var chip = new SimulatedBme280(20, 1000, 50);
        using var sensor = new Bme280(chip);
        var before = chip.Conversions;

        sensor.Read();
        chip.SetEnvironment(21, 1000, 50); // the air changes, but a sleeping chip does not convert
        var stale = sensor.Read().Temperature!.Value.DegreesCelsius;

        Assert.Equal(before + 2, chip.Conversions);
        Assert.Equal(0, chip.Mode);
        Assert.Equal(21, stale, 0.01); // each Read forces a fresh conversion
    }

    [Fact]
    public void Read_HumiditySkipped_ReportsNoHumidity()
    {
        using var chip = new SimulatedBme280(20, 1000, 50);
        using var sensor = new Bme280(chip) { HumiditySampling = Sampling.Skipped };

        var result = sensor.Read();

        Assert.Null(result.Humidity);
        Assert.Equal(20, result.Temperature!.Value.DegreesCelsius, 0.01);
    }

    [Fact]
    public void Constructor_AnotherChipAnswers_ThrowsIOException()
    {
        // A BMP280 (id 0x58) on the address: the binding checks the id register first.
        using var chip = new SimulatedBme280(20, 1000, 50);
        chip.Write([0xD0]);
        Assert.Equal(0x60, chip.ReadByte());
        using var other = new OtherChip();

        Assert.Throws<IOException>(() => new Bme280(other));
    }

    private sealed class OtherChip : System.Device.I2c.I2cDevice
    {
        public override System.Device.I2c.I2cConnectionSettings ConnectionSettings { get; } = new(1, 0x76);

        public override byte ReadByte() => 0x58;

        public override void Read(Span<byte> buffer) => buffer.Fill(0x58);

        public override void WriteByte(byte value)
        {
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
        }

        public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer) => Read(readBuffer);
    }
}
