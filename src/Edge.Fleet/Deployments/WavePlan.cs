using System.Globalization;

namespace Edge.Fleet.Deployments;

/// <summary>
/// Wave sizes as given to <c>--waves</c>, e.g. <c>1,10%,50%,100%</c>: each entry is the cumulative number of
/// devices updated once that wave is done, as a count or a percentage of the group (rounded up). Entries must not
/// decrease and the last must cover the group (100% or a count at least the group size); a wave that adds no
/// device (a small group) is dropped.
/// </summary>
internal sealed class WavePlan
{
    private readonly IReadOnlyList<(double Value, bool Percent)> _entries;

    private WavePlan(string text, IReadOnlyList<(double, bool)> entries)
    {
        Text = text;
        _entries = entries;
    }

    public string Text { get; }

    /// <exception cref="FormatException">Every bad entry, listed at once.</exception>
    public static WavePlan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new List<string>();
        var entries = new List<(double, bool)>();
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var percent = raw.EndsWith('%');
            var number = percent ? raw[..^1] : raw;
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || (percent && value > 100) || (!percent && value != Math.Floor(value)))
            {
                errors.Add($"'{raw}' is not a positive device count or a percentage in (0, 100]");
                continue;
            }

            entries.Add((value, percent));
        }

        if (entries.Count > 0 && !(entries[^1] is (100, true)))
        {
            errors.Add($"the last wave is '{text.Split(',')[^1].Trim()}', expected 100% so that the whole group is covered");
        }

        if (errors.Count > 0)
        {
            throw new FormatException($"Invalid --waves '{text}': {string.Join("; ", errors)}.");
        }

        return new WavePlan(text, entries);
    }

    /// <summary>Cumulative device counts per wave for a group of <paramref name="total"/>; empty waves dropped.</summary>
    /// <exception cref="FormatException">The counts decrease.</exception>
    public IReadOnlyList<int> CumulativeSizes(int total)
    {
        var sizes = new List<int>();
        var previous = 0;
        foreach (var (value, percent) in _entries)
        {
            var size = Math.Min(total, percent ? (int)Math.Ceiling(value / 100 * total - 1e-9) : (int)value);
            if (size < previous)
            {
                throw new FormatException($"Invalid --waves '{Text}': wave sizes decrease ({previous} then {size} of {total} devices); each entry is cumulative.");
            }

            if (size > previous)
            {
                sizes.Add(size);
                previous = size;
            }
        }

        return sizes;
    }

    /// <summary>Assigns devices (in the given order) to waves: index i is the 0-based wave of device i.</summary>
    public IReadOnlyList<int> Assign(int total)
    {
        var waves = new int[total];
        var sizes = CumulativeSizes(total);
        var wave = 0;
        for (var i = 0; i < total; i++)
        {
            while (i >= sizes[wave])
            {
                wave++;
            }

            waves[i] = wave;
        }

        return waves;
    }
}
