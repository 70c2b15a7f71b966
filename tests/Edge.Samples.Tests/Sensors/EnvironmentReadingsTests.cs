using System.Device.I2c;
using Edge.Samples.Sensors;

namespace Edge.Samples.Tests.Sensors;

public sealed class EnvironmentReadingsTests
{
    [Fact]
    public void Read_SimulatedChip_AddsTheAirFigures()
    {
        using var chip = new SimulatedBme280(22.5, 1009.0, 38.0);
        var source = new EnvironmentReadings(chip);
        var readings = new Dictionary<string, double>();

        source.Read(readings);

        Assert.Equal(22.5, readings["airTemperatureCelsius"], 0.01);
        Assert.Equal(1009.0, readings["pressureHectopascals"], 0.01);
        Assert.Equal(38.0, readings["relativeHumidityPercent"], 0.05);
        Assert.Equal(0, readings["environmentSensorFailures"]);
    }

    [Fact]
    public void Read_BusFailsThenRecovers_CountsTheFailureAndReadsAgain()
    {
        using var chip = new FlakyBus(new SimulatedBme280(22.5, 1009.0, 38.0)) { Failing = true };
        var source = new EnvironmentReadings(chip);

        var failed = new Dictionary<string, double>();
        source.Read(failed);
        chip.Failing = false;
        var recovered = new Dictionary<string, double>();
        source.Read(recovered);

        Assert.False(failed.ContainsKey("airTemperatureCelsius"));
        Assert.Equal(1, failed["environmentSensorFailures"]);
        Assert.Equal(22.5, recovered["airTemperatureCelsius"], 0.01);
        Assert.Equal(1, recovered["environmentSensorFailures"]);
    }

    /// <summary>A bus whose transfers fail with <see cref="IOException"/> (no answer, as with a loose wire) while <see cref="Failing"/>.</summary>
    private sealed class FlakyBus(I2cDevice chip) : I2cDevice
    {
        public bool Failing { get; set; }

        public override I2cConnectionSettings ConnectionSettings => chip.ConnectionSettings;

        public override byte ReadByte() => Failing ? throw new IOException("Remote I/O error") : chip.ReadByte();

        public override void Read(Span<byte> buffer)
        {
            if (Failing)
            {
                throw new IOException("Remote I/O error");
            }

            chip.Read(buffer);
        }

        public override void WriteByte(byte value) => Write([value]);

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Failing)
            {
                throw new IOException("Remote I/O error");
            }

            chip.Write(buffer);
        }

        public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
        {
            Write(writeBuffer);
            Read(readBuffer);
        }

        protected override void Dispose(bool disposing)
        {
            chip.Dispose();
            base.Dispose(disposing);
        }
    }
}
