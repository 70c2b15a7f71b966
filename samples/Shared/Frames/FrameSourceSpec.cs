using System.Globalization;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Samples.Frames;

/// <summary>
/// Parses the samples' <c>--frames</c> value: <c>stdin-mjpeg</c>, <c>stdin-raw:WIDTHxHEIGHT:FORMAT</c> (FORMAT one of
/// <c>nv12</c>, <c>yuyv</c>, <c>rgb24</c>, <c>bgr24</c>, <c>rgba32</c>, <c>bgra32</c>, <c>gray8</c>) or <c>folder:PATH</c>.
/// </summary>
public static class FrameSourceSpec
{
    /// <summary>The accepted forms, for help texts and error messages.</summary>
    public const string Forms = "stdin-mjpeg | stdin-raw:WIDTHxHEIGHT:FORMAT (nv12, yuyv, rgb24, bgr24, rgba32, bgra32, gray8) | folder:PATH";

    /// <summary>Checks <paramref name="spec"/> without opening anything; returns the problems found (empty when valid).</summary>
    public static IReadOnlyList<string> Validate(string? spec)
    {
        try
        {
            _ = Parse(spec);
            return [];
        }
        catch (ArgumentException e)
        {
            return [e.Message];
        }
    }

    /// <summary>Opens the source. <paramref name="standardInput"/> defaults to the process's stdin.</summary>
    /// <param name="spec">The <c>--frames</c> value.</param>
    /// <param name="loop">Replay an image folder forever.</param>
    /// <param name="newestOnly">For a live stream on stdin: read it continuously and hand out only the newest frame
    /// (<see cref="LatestFrameSource"/>), for apps that take a frame on demand. Folders are always read in order.</param>
    /// <param name="standardInput">The stream to read instead of stdin (tests).</param>
    /// <exception cref="ArgumentException">The spec is malformed; the message lists the accepted forms.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static FrameSource Open(string spec, bool loop = false, bool newestOnly = false, Stream? standardInput = null)
    {
        var (kind, width, height, format, path) = Parse(spec);
        FrameSource source = kind switch
        {
            "mjpeg" => new MjpegStreamSource(standardInput ?? Console.OpenStandardInput()),
            "raw" => new RawStreamSource(standardInput ?? Console.OpenStandardInput(), width, height, format),
            _ => new ImageFolderSource(path!, loop),
        };
        return newestOnly && kind != "folder" ? new LatestFrameSource(source) : source;
    }

    private static (string Kind, int Width, int Height, PixelFormat Format, string? Path) Parse(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            throw new ArgumentException($"--frames is empty; expected {Forms}.", nameof(spec));
        }

        if (spec == "stdin-mjpeg")
        {
            return ("mjpeg", 0, 0, default, null);
        }

        if (spec.StartsWith("folder:", StringComparison.Ordinal))
        {
            var path = spec["folder:".Length..];
            return path.Length > 0 ? ("folder", 0, 0, default, path) : throw new ArgumentException($"--frames '{spec}' names no folder; expected folder:PATH.", nameof(spec));
        }

        if (spec.StartsWith("stdin-raw:", StringComparison.Ordinal))
        {
            var parts = spec.Split(':');
            var size = parts.Length == 3 ? parts[1].Split('x') : [];
            if (size.Length != 2
                || !int.TryParse(size[0], NumberStyles.None, CultureInfo.InvariantCulture, out var width)
                || !int.TryParse(size[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height))
            {
                throw new ArgumentException($"--frames '{spec}' is not stdin-raw:WIDTHxHEIGHT:FORMAT (for example stdin-raw:1280x720:nv12).", nameof(spec));
            }

            var format = parts[2].ToLowerInvariant() switch
            {
                "nv12" => PixelFormat.Nv12,
                "yuyv" or "yuy2" => PixelFormat.Yuyv,
                "rgb24" or "rgb" => PixelFormat.Rgb24,
                "bgr24" or "bgr" => PixelFormat.Bgr24,
                "rgba32" or "rgba" => PixelFormat.Rgba32,
                "bgra32" or "bgra" => PixelFormat.Bgra32,
                "gray8" or "gray" => PixelFormat.Gray8,
                _ => throw new ArgumentException($"--frames '{spec}': unknown pixel format '{parts[2]}'; expected nv12, yuyv, rgb24, bgr24, rgba32, bgra32 or gray8.", nameof(spec)),
            };
            _ = RawStreamSource.SizeOf(width, height, format);
            return ("raw", width, height, format, null);
        }

        throw new ArgumentException($"--frames '{spec}' is not recognised; expected {Forms}.", nameof(spec));
    }
}
