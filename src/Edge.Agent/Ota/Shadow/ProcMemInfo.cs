using System.Globalization;

namespace Edge.Agent.Ota.Shadow;

/// <summary><c>MemAvailable</c> from <c>/proc/meminfo</c> (Linux): the kernel's estimate of memory available without swapping.</summary>
internal sealed class ProcMemInfo : IAvailableMemory
{
    public long? AvailableBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                // "MemAvailable:   12345678 kB"
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    var parts = line["MemAvailable:".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib * 1024 : null;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }
}
