using System.Globalization;

namespace Edge.CommandLine;

/// <summary>Durations as the command-line tools take them: a number with <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c> (a bare number is seconds).</summary>
public static class CliDuration
{
    /// <summary>Parses <paramref name="text"/>, given to <paramref name="option"/>; zero and more.</summary>
    /// <exception cref="CliUsageException">Not a number with one of those units, or negative; the message names the option.</exception>
    public static TimeSpan Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unit = text.Length > 0 && char.IsLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsLetter(text.Length > 0 ? text[^1] : '0') ? text[..^1] : text;
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            switch (unit)
            {
                case 's': return TimeSpan.FromSeconds(value);
                case 'm': return TimeSpan.FromMinutes(value);
                case 'h': return TimeSpan.FromHours(value);
                case 'd': return TimeSpan.FromDays(value);
            }
        }

        throw new CliUsageException($"{option}: '{text}' is not a duration; expected e.g. 90s, 5m, 2h or 1d.");
    }
}
