using System.Globalization;

namespace Edge.Fleet.Deployments;

/// <summary>
/// A daily UTC window (<c>--window 22:00-06:00</c>) in which waves may start; a window may cross midnight. Jobs already
/// published finish outside it, but no new device is started until the window opens again.
/// </summary>
internal sealed record RolloutWindow(TimeSpan Start, TimeSpan End)
{
    public static RolloutWindow Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && TimeSpan.TryParseExact(parts[0], @"hh\:mm", CultureInfo.InvariantCulture, out var start)
            && TimeSpan.TryParseExact(parts[1], @"hh\:mm", CultureInfo.InvariantCulture, out var end)
            && start != end)
        {
            return new RolloutWindow(start, end);
        }

        throw new FormatException($"Invalid --window '{text}': expected HH:mm-HH:mm in UTC with different start and end, e.g. 22:00-06:00.");
    }

    public bool Contains(DateTimeOffset time)
    {
        var of = time.UtcDateTime.TimeOfDay;
        return Start < End ? of >= Start && of < End : of >= Start || of < End;
    }

    /// <summary>The next instant the window opens (now if it is open).</summary>
    public DateTimeOffset NextOpening(DateTimeOffset now)
    {
        if (Contains(now))
        {
            return now;
        }

        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero) + Start;
        return today > now ? today : today.AddDays(1);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Start:hh\\:mm}-{End:hh\\:mm} UTC");
}
