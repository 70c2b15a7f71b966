using System.Globalization;
using System.Text.Json.Nodes;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// Splits a process's resident memory by what backs it, from <c>/proc/{pid}/smaps</c>: the executable's own file
/// mappings, shared libraries, and anonymous memory (GC heap, native heap, thread stacks, and the AOT image's
/// zero-initialised and rehydrated data, which the kernel shows as anonymous). Every mapping is counted once, so
/// the parts add up to the process's RSS at that moment.
/// </summary>
internal static class AgentMemoryBreakdown
{
    public static JsonObject Read(int pid, string executable)
    {
        long image = 0, libraries = 0, anonymous = 0, other = 0, largestAnonymous = 0, current = 0;
        var name = string.Empty;
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            if (IsMappingHeader(line))
            {
                // "start-end perms offset dev inode [path]": the path is the sixth field and may be absent.
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                name = fields.Length == 6 ? fields[5].Trim() : string.Empty;
                continue;
            }

            if (!line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                continue;
            }

            current = long.Parse(line[4..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            if (name == executable)
            {
                image += current;
            }
            else if (name.Contains(".so", StringComparison.Ordinal))
            {
                libraries += current;
            }
            else if (name.Length == 0 || name[0] == '[')
            {
                anonymous += current;
                largestAnonymous = Math.Max(largestAnonymous, current);
            }
            else
            {
                other += current;
            }
        }

        return new JsonObject
        {
            ["executable_file_bytes"] = image,
            ["shared_libraries_bytes"] = libraries,
            ["anonymous_bytes"] = anonymous,
            ["largest_anonymous_mapping_bytes"] = largestAnonymous,
            ["other_bytes"] = other,
        };
    }

    private static bool IsMappingHeader(string line)
    {
        // Field lines start with a capitalised key ("Rss:"); mapping lines start with a hex address range.
        var dash = line.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0)
        {
            return false;
        }

        foreach (var c in line.AsSpan(0, dash))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
