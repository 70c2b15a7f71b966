using ScottPlot;

namespace Edge.Optimizer.Reports.Charts;

/// <summary>Writes a finished plot as an SVG file.</summary>
internal static class ChartFile
{
    /// <summary>
    /// Renders <paramref name="plot"/> at <paramref name="width"/> × <paramref name="height"/> pixels and writes the SVG to
    /// <paramref name="path"/> atomically: into a temporary file beside it, then moved over the target, so a reader never
    /// sees half a chart. Creates the folder when missing. The caller keeps ownership of <paramref name="plot"/>.
    /// </summary>
    public static async Task SaveSvgAsync(Plot plot, int width, int height, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);

        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var svg = plot.GetSvgXml(width, height);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllTextAsync(temporary, svg, cancellationToken);
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
