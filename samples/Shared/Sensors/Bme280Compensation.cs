namespace Edge.Samples.Sensors;

/// <summary>
/// The BME280's trimming parameters (calibration registers 0x88..0xA1 and 0xE1..0xE7) and the datasheet's
/// floating-point compensation formulas (Bosch BST-BME280-DS002, section 8.1), which turn raw ADC values into
/// °C, Pa and %RH. <see cref="SimulatedBme280"/> inverts them to answer with the raw values a chip would measure.
/// </summary>
public sealed record Bme280Compensation
{
    /// <summary>
    /// Temperature and pressure parameters of the datasheet's worked example (BMP280 datasheet BST-BMP280-DS001,
    /// section 3.12: adc_T 519888 gives 25.08 °C, adc_P 415148 gives 100653.27 Pa), with humidity parameters in the
    /// range real BME280 chips report.
    /// </summary>
    public static Bme280Compensation DatasheetExample { get; } = new();

    /// <summary>dig_T1, a temperature trimming parameter.</summary>
    public ushort T1 { get; init; } = 27504;

    /// <summary>dig_T2, a temperature trimming parameter.</summary>
    public short T2 { get; init; } = 26435;

    /// <summary>dig_T3, a temperature trimming parameter.</summary>
    public short T3 { get; init; } = -1000;

    /// <summary>dig_P1, a pressure trimming parameter.</summary>
    public ushort P1 { get; init; } = 36477;

    /// <summary>dig_P2, a pressure trimming parameter.</summary>
    public short P2 { get; init; } = -10685;

    /// <summary>dig_P3, a pressure trimming parameter.</summary>
    public short P3 { get; init; } = 3024;

    /// <summary>dig_P4, a pressure trimming parameter.</summary>
    public short P4 { get; init; } = 2855;

    /// <summary>dig_P5, a pressure trimming parameter.</summary>
    public short P5 { get; init; } = 140;

    /// <summary>dig_P6, a pressure trimming parameter.</summary>
    public short P6 { get; init; } = -7;

    /// <summary>dig_P7, a pressure trimming parameter.</summary>
    public short P7 { get; init; } = 15500;

    /// <summary>dig_P8, a pressure trimming parameter.</summary>
    public short P8 { get; init; } = -14600;

    /// <summary>dig_P9, a pressure trimming parameter.</summary>
    public short P9 { get; init; } = 6000;

    /// <summary>dig_H1, a humidity trimming parameter.</summary>
    public byte H1 { get; init; } = 75;

    /// <summary>dig_H2, a humidity trimming parameter.</summary>
    public short H2 { get; init; } = 362;

    /// <summary>dig_H3, a humidity trimming parameter.</summary>
    public byte H3 { get; init; }

    /// <summary>dig_H4, a humidity trimming parameter, 12-bit signed.</summary>
    public short H4 { get; init; } = 313;

    /// <summary>dig_H5, a humidity trimming parameter, 12-bit signed.</summary>
    public short H5 { get; init; } = 50;

    /// <summary>dig_H6, a humidity trimming parameter.</summary>
    public sbyte H6 { get; init; } = 30;

    /// <summary>The fine temperature t_fine (carried into pressure and humidity) for a raw temperature.</summary>
    public double FineTemperature(int adcTemperature)
    {
        var var1 = ((adcTemperature / 16384.0) - (T1 / 1024.0)) * T2;
        var x = (adcTemperature / 131072.0) - (T1 / 8192.0);
        return var1 + (x * x * T3);
    }

    /// <summary>°C for a raw temperature.</summary>
    public double Celsius(int adcTemperature) => FineTemperature(adcTemperature) / 5120.0;

    /// <summary>Pa for a raw pressure at the fine temperature <paramref name="fine"/>; 0 where the formula divides by zero.</summary>
    public double Pascals(int adcPressure, double fine)
    {
        var var1 = (fine / 2.0) - 64000.0;
        var var2 = var1 * var1 * P6 / 32768.0;
        var2 += var1 * P5 * 2.0;
        var2 = (var2 / 4.0) + (P4 * 65536.0);
        var1 = ((P3 * var1 * var1 / 524288.0) + (P2 * var1)) / 524288.0;
        var1 = (1.0 + (var1 / 32768.0)) * P1;
        if (var1 == 0)
        {
            return 0;
        }

        var p = 1048576.0 - adcPressure;
        p = (p - (var2 / 4096.0)) * 6250.0 / var1;
        var1 = P9 * p * p / 2147483648.0;
        var2 = p * P8 / 32768.0;
        return p + ((var1 + var2 + P7) / 16.0);
    }

    /// <summary>%RH (0 to 100) for a raw humidity at the fine temperature <paramref name="fine"/>.</summary>
    public double RelativeHumidityPercent(int adcHumidity, double fine)
    {
        var h = fine - 76800.0;
        h = (adcHumidity - ((H4 * 64.0) + (H5 / 16384.0 * h))) * (H2 / 65536.0 * (1.0 + (H6 / 67108864.0 * h * (1.0 + (H3 / 67108864.0 * h)))));
        h *= 1.0 - (H1 * h / 524288.0);
        return Math.Clamp(h, 0, 100);
    }

    /// <summary>Writes the parameters into a 256-byte register map, as the chip holds them (little-endian words, H4/H5 sharing 0xE5).</summary>
    public void WriteTo(Span<byte> registers)
    {
        ushort[] words = [T1, (ushort)T2, (ushort)T3, P1, (ushort)P2, (ushort)P3, (ushort)P4, (ushort)P5, (ushort)P6, (ushort)P7, (ushort)P8, (ushort)P9];
        for (var i = 0; i < words.Length; i++)
        {
            registers[0x88 + (2 * i)] = (byte)words[i];
            registers[0x89 + (2 * i)] = (byte)(words[i] >> 8);
        }

        registers[0xA1] = H1;
        registers[0xE1] = (byte)H2;
        registers[0xE2] = (byte)(H2 >> 8);
        registers[0xE3] = H3;
        registers[0xE4] = (byte)(H4 >> 4);
        registers[0xE5] = (byte)((H4 & 0x0F) | ((H5 & 0x0F) << 4));
        registers[0xE6] = (byte)(H5 >> 4);
        registers[0xE7] = (byte)H6;
    }
}
