using System.Globalization;

namespace Edge.Samples.Sensors;

/// <summary>Reads an I2C address as the command lines take it: hex, with or without <c>0x</c> (<c>0x48</c>, <c>76</c>).</summary>
public static class I2cAddressText
{
    /// <summary>The address, or -1 when <paramref name="text"/> is not hex (option validation then names the value).</summary>
    public static int Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        return int.TryParse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value) ? value : -1;
    }
}
