using System.Globalization;
using System.Text.RegularExpressions;

namespace Edge.Sdk.Devices;

/// <summary>
/// Reads board identity and health from Linux's <c>/proc</c>, <c>/sys</c> and <c>/etc</c>. Every reading degrades
/// to null when a file is absent or unreadable, so the same code runs on Jetson, Raspberry Pi, a PC or a container.
/// </summary>
/// <remarks>Thread-safe: it holds no state besides the root folder. Nothing to dispose.</remarks>
public sealed partial class DeviceMonitor
{
    private readonly string root;

    /// <summary>Creates a monitor reading the real system, or a copy of its files under <paramref name="fileSystemRoot"/> (used by tests).</summary>
    /// <param name="fileSystemRoot">Folder that stands for "/". Default "/".</param>
    public DeviceMonitor(string fileSystemRoot = "/")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileSystemRoot);
        root = fileSystemRoot;
    }

    /// <summary>Identifies the board from the device-tree model and, on Jetson, the L4T release file.</summary>
    public async Task<BoardInfo> DetectBoardAsync(CancellationToken cancellationToken = default)
    {
        var model = (await ReadAsync("proc/device-tree/model", cancellationToken))?.Trim('\0', ' ', '\n');
        model = string.IsNullOrEmpty(model) ? null : model;
        var release = await ReadAsync("etc/nv_tegra_release", cancellationToken);
        if (model?.Contains("Jetson", StringComparison.OrdinalIgnoreCase) == true || release is not null)
        {
            var l4t = release is null ? null : ParseL4T(release);
            return new BoardInfo(BoardKind.Jetson, model, l4t, l4t is null ? null : JetPackReleases.ForL4T(l4t));
        }

        if (model?.StartsWith("Raspberry Pi", StringComparison.OrdinalIgnoreCase) == true)
        {
            return new BoardInfo(BoardKind.RaspberryPi, model, null, null);
        }

        return new BoardInfo(BoardKind.Generic, model, null, null);
    }

    /// <summary>Reads temperature, memory, load and (Raspberry Pi) throttling.</summary>
    public async Task<DeviceHealth> ReadHealthAsync(CancellationToken cancellationToken = default)
    {
        var temperature = await ReadCpuTemperatureAsync(cancellationToken);
        var memory = await ReadAsync("proc/meminfo", cancellationToken);
        var load = (await ReadAsync("proc/loadavg", cancellationToken))?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var throttled = await ReadAsync("sys/devices/platform/soc/soc:firmware/get_throttled", cancellationToken);
        return new DeviceHealth(
            temperature,
            MemInfoBytes(memory, "MemTotal"),
            MemInfoBytes(memory, "MemAvailable"),
            LoadField(load, 0),
            LoadField(load, 1),
            LoadField(load, 2),
            ParseThrottled(throttled));
    }

    /// <summary>"# R36 (release), REVISION: 4.3, ..." gives "36.4.3"; a revision without a patch gets ".0".</summary>
    internal static string? ParseL4T(string release)
    {
        var match = L4TPattern().Match(release);
        if (!match.Success)
        {
            return null;
        }

        var revision = match.Groups[2].Value;
        return $"{match.Groups[1].Value}.{(revision.Contains('.', StringComparison.Ordinal) ? revision : revision + ".0")}";
    }

    [GeneratedRegex(@"#\s*R(\d+)\s*\(release\),\s*REVISION:\s*([\d.]+)")]
    private static partial Regex L4TPattern();

    private async Task<double?> ReadCpuTemperatureAsync(CancellationToken cancellationToken)
    {
        var thermal = Path.Combine(root, "sys/class/thermal");
        if (!Directory.Exists(thermal))
        {
            return null;
        }

        var zones = Directory.GetDirectories(thermal, "thermal_zone*").Order(StringComparer.Ordinal).ToArray();
        string? chosen = null;
        foreach (var zone in zones)
        {
            var type = await ReadAsync(Path.Combine(zone, "type"), cancellationToken);
            if (type?.Contains("cpu", StringComparison.OrdinalIgnoreCase) == true || type?.Contains("x86_pkg", StringComparison.Ordinal) == true)
            {
                chosen = zone;
                break;
            }
        }

        chosen ??= zones.FirstOrDefault();
        var milli = chosen is null ? null : await ReadAsync(Path.Combine(chosen, "temp"), cancellationToken);
        return long.TryParse(milli?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value / 1000.0 : null;
    }

    private static long? MemInfoBytes(string? meminfo, string key)
    {
        if (meminfo is null)
        {
            return null;
        }

        foreach (var line in meminfo.Split('\n'))
        {
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
            {
                var parts = line[(key.Length + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kibibytes)
                    ? kibibytes * 1024
                    : null;
            }
        }

        return null;
    }

    private static double? LoadField(string[]? fields, int index) =>
        fields is not null && fields.Length > index && double.TryParse(fields[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private static ThrottlingState? ParseThrottled(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var eq = value.IndexOf('=', StringComparison.Ordinal); // vcgencmd style "throttled=0x50005"
        value = eq >= 0 ? value[(eq + 1)..] : value;
        value = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? value[2..] : value;
        return int.TryParse(value, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags) ? new ThrottlingState(flags) : null;
    }

    private async Task<string?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var full = Path.IsPathRooted(path) ? path : Path.Combine(root, path);
        try
        {
            return File.Exists(full) ? await File.ReadAllTextAsync(full, cancellationToken) : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null; // a file that vanishes or is protected reads as "not exposed"
        }
    }
}
