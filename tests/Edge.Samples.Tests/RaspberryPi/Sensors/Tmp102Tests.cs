using Edge.Samples.RaspberryPi.Sensors;

namespace Edge.Samples.Tests.RaspberryPi.Sensors;

public sealed class Tmp102Tests
{
    // Datasheet SBOS397 table "12-bit temperature data format": digital output (12 bits) for given temperatures.
    [Theory]
    [InlineData(0x7F, 0xF0, 127.9375)]
    [InlineData(0x64, 0x00, 100.0)]
    [InlineData(0x19, 0x00, 25.0)]
    [InlineData(0x03, 0x20, 3.125)] // 0x032 = 50 counts
    [InlineData(0x00, 0x10, 0.0625)]
    [InlineData(0x00, 0x00, 0.0)]
    [InlineData(0xFF, 0xF0, -0.0625)]
    [InlineData(0xE7, 0x00, -25.0)]
    [InlineData(0xC9, 0x00, -55.0)]
    public void ToCelsius_DatasheetExamples_MatchTable(byte msb, byte lsb, double expected)
    {
        Assert.Equal(expected, Tmp102.ToCelsius(msb, lsb));
        Assert.Equal((msb, lsb), Tmp102.FromCelsius(expected));
    }

    [Fact]
    public void ReadTemperatureCelsius_SimulatedDevice_SelectsTemperatureRegisterAndConverts()
    {
        using var device = new SimulatedTmp102(-12.3);
        using var sensor = new Tmp102(device, shouldDispose: false);

        var celsius = sensor.ReadTemperatureCelsius();

        Assert.Equal(-12.3125, celsius); // nearest 0.0625 step
        Assert.Equal(1, device.Reads);
    }
}
