using System.Globalization;

namespace Edge.Fleet.Capture;

/// <summary>Parses byte sizes such as <c>64MiB</c>, <c>512KiB</c>, <c>1GiB</c>, <c>4096</c> (binary units; <c>KB</c>/<c>MB</c>/<c>GB</c> are read as the same powers of 1024).</summary>
internal static class CliByteSize
{
    /// <exception cref="CliUsageException">The text is not a positive size.</exception>
    public static long Parse(string text, string option)
    {
        var trimmed = text.Trim();
        var (multiplier, digits) = Suffix(trimmed);
        if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            try
            {
                return checked(value * multiplier);
            }
            catch (OverflowException)
            {
            }
        }

        throw new CliUsageException($"{option}: '{text}' is not a size; expected a positive whole number of bytes with an optional KiB, MiB or GiB suffix, e.g. 64MiB.");
    }

    private static (long Multiplier, string Digits) Suffix(string text)
    {
        foreach (var (suffix, multiplier) in new (string, long)[] { ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("KB", 1L << 10), ("MB", 1L << 20), ("GB", 1L << 30), ("B", 1) })
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return (multiplier, text[..^suffix.Length].Trim());
            }
        }

        return (1, text);
    }
}
