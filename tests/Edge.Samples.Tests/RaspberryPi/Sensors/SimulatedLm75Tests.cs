using Edge.Samples.RaspberryPi.Sensors;
using Iot.Device.Lm75;

namespace Edge.Samples.Tests.RaspberryPi.Sensors;

/// <summary>The Iot.Device.Lm75 binding's register code over the simulated chip.</summary>
public sealed class SimulatedLm75Tests
{
    // LM75B datasheet, table "Temp register value": 11-bit values shifted into the 16-bit register. The binding
    // reads 0.125 °C steps and rounds them to 0.1 °C (to even: 0.125 -> 0.1).
    [Theory]
    [InlineData(125.0, 0x7D00, 125.0)]
    [InlineData(25.0, 0x1900, 25.0)]
    [InlineData(0.125, 0x0020, 0.1)]
    [InlineData(0.0, 0x0000, 0.0)]
    [InlineData(-0.125, 0xFFE0, -0.1)]
    [InlineData(-25.0, 0xE700, -25.0)]
    [InlineData(-55.0, 0xC900, -55.0)]
    public void Temperature_DatasheetTable_BindingReadsTheRegister(double celsius, int word, double expected)
    {
        Assert.Equal((ushort)word, SimulatedLm75.ToWord(celsius));
        using var chip = new SimulatedLm75(celsius);
        var sensor = new Lm75(chip);

        Assert.Equal(expected, sensor.Temperature.DegreesCelsius);
        Assert.Equal(1, chip.TemperatureReads);
    }

    [Fact]
    public void Temperature_OutsideTheChipsRange_ReadsTheClampedLimit()
    {
        using var chip = new SimulatedLm75(140);
        var sensor = new Lm75(chip);

        Assert.Equal(125.0, sensor.Temperature.DegreesCelsius);
    }

    [Fact]
    public void Constructor_ChipShutDown_BindingWakesItAndConversionsResume()
    {
        using var chip = new SimulatedLm75(20.0);
        chip.Write([SimulatedLm75.ConfigurationRegister, 0x01]); // shut down: the register keeps 20 °C
        chip.TemperatureCelsius = 30.0;

        var sensor = new Lm75(chip);

        Assert.Equal(0, chip.Configuration & 0x01);
        Assert.Equal(30.0, sensor.Temperature.DegreesCelsius);
    }

    [Fact]
    public void Disabled_True_KeepsTheLastConversion()
    {
        using var chip = new SimulatedLm75(20.0);
        var sensor = new Lm75(chip) { Disabled = true };

        chip.TemperatureCelsius = 35.0;

        Assert.Equal(1, chip.Configuration & 0x01);
        Assert.Equal(20.0, sensor.Temperature.DegreesCelsius);
        sensor.Disabled = false;
        Assert.Equal(35.0, sensor.Temperature.DegreesCelsius);
    }
}
