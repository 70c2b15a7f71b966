using System.Globalization;

namespace Edge.Agent.Hosting;

/// <summary>One mapping of <c>/proc/PID/smaps</c>: its address range, whether it is writable, the file behind it, and its resident and anonymous (copy-on-write) bytes.</summary>
internal sealed record SmapsMapping(ulong Start, ulong End, bool Writable, string Path)
{
    public long ResidentBytes { get; private set; }

    /// <summary>Anonymous bytes; -1 until the "Anonymous:" line was read, so a mapping without one counts as written to.</summary>
    public long AnonymousBytes { get; private set; } = -1;

    public ulong Length => End - Start;

    /// <summary>Reads every mapping of an smaps file.</summary>
    public static List<SmapsMapping> ReadAll(string smapsPath)
    {
        var mappings = new List<SmapsMapping>();
        SmapsMapping? current = null;
        foreach (var line in File.ReadLines(smapsPath))
        {
            if (TryParseHeader(line) is { } header)
            {
                mappings.Add(header);
                current = header;
            }
            else if (current is not null && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                current.ResidentBytes = ParseKilobytes(line, "Rss:");
            }
            else if (current is not null && line.StartsWith("Anonymous:", StringComparison.Ordinal))
            {
                current.AnonymousBytes = ParseKilobytes(line, "Anonymous:");
            }
        }

        return mappings;
    }

    // "start-end perms offset dev inode [path]"; field lines ("Rss:   4 kB") never have a hex range as first field.
    private static SmapsMapping? TryParseHeader(string line)
    {
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        var dash = fields.Length >= 5 ? fields[0].IndexOf('-', StringComparison.Ordinal) : -1;
        if (dash <= 0 || fields[1].Length != 4
            || !ulong.TryParse(fields[0].AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var start)
            || !ulong.TryParse(fields[0].AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end))
        {
            return null;
        }

        return new SmapsMapping(start, end, Writable: fields[1][1] == 'w', Path: fields.Length == 6 ? fields[5].Trim() : string.Empty);
    }

    private static long ParseKilobytes(string line, string key) =>
        long.Parse(line.AsSpan(key.Length).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture) * 1024;
}
