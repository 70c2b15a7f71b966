using ScottPlot;

namespace Edge.Optimizer.Reports.Charts;

/// <summary>
/// Gives ScottPlot a font that has glyphs. The optimizer ships SkiaSharp's Linux natives without fontconfig
/// (SkiaSharp.NativeAssets.Linux.NoDependencies), so Skia's font manager finds no system fonts there and every label
/// would be drawn with an empty typeface: an SVG with bars and lines but no text at all. Registering a TrueType file
/// found in the usual font folders fixes that on Linux and gives the same font, and so the same SVG, on every machine
/// that has it. Without any font file the charts are still written, without text.
/// </summary>
internal static class ChartFonts
{
    /// <summary>The family name the charts ask ScottPlot for.</summary>
    public const string Family = "Edge Chart Sans";

    private static readonly string[] Preferred = ["DejaVuSans", "LiberationSans-Regular", "NotoSans-Regular", "FreeSans", "Arial", "arial", "Helvetica"];

    private static readonly Lazy<string?> Registered = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The TrueType file in use, or <see langword="null"/> when none was found.</summary>
    public static string? FontFile => Registered.Value;

    /// <summary>Registers the font once per process; call before creating a plot, whose labels take the default font then.</summary>
    public static void EnsureRegistered() => _ = Registered.Value;

    private static string? Register()
    {
        var files = Candidates().ToList();
        var regular = Preferred.Select(name => files.FirstOrDefault(f => Path.GetFileNameWithoutExtension(f) == name)).FirstOrDefault(f => f is not null);
        if (regular is null)
        {
            return null;
        }

        Fonts.AddFontFile(Family, regular, bold: false, italic: false);
        var boldName = Path.GetFileNameWithoutExtension(regular).Replace("-Regular", "", StringComparison.Ordinal) + "-Bold";
        var bold = files.FirstOrDefault(f => Path.GetFileNameWithoutExtension(f) == boldName) ?? regular;
        Fonts.AddFontFile(Family, bold, bold: true, italic: false);
        Fonts.Default = Family;
        return regular;
    }

    private static IEnumerable<string> Candidates()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string[] folders =
        [
            "/usr/share/fonts", "/usr/local/share/fonts", Path.Combine(home, ".local/share/fonts"), Path.Combine(home, ".fonts"),
            "/System/Library/Fonts", "/Library/Fonts", Environment.GetFolderPath(Environment.SpecialFolder.Fonts),
        ];
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 4 };
        return folders
            .Where(folder => folder.Length > 0 && Directory.Exists(folder))
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.ttf", options))
            .Order(StringComparer.Ordinal);
    }
}
