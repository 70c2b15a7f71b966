using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Edge.Optimizer.Tests.Reports.Charts;

/// <summary>
/// Reads back an SVG that ScottPlot wrote, in the terms the chart tests need. What ScottPlot 5.1 emits (inspected):
/// each plottable is drawn into its own <c>&lt;g clip-path=…&gt;</c> group clipped to the data area (a scatter: one
/// stroked <c>path</c> plus one marker per point; bars: one filled <c>rect</c> or <c>path</c> per bar; a dashed line:
/// one filled <c>path</c>); the legend is such a group too, the only one holding <c>&lt;text&gt;</c>; titles, axis labels
/// and tick labels are <c>&lt;text&gt;</c> elements outside the groups.
/// </summary>
internal sealed partial class SvgChart
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private SvgChart(XElement root)
    {
        Root = root;
    }

    public XElement Root { get; }

    public int Width => int.Parse(Root.Attribute("width")!.Value, CultureInfo.InvariantCulture);

    public int Height => int.Parse(Root.Attribute("height")!.Value, CultureInfo.InvariantCulture);

    /// <summary>Every text drawn, legend included.</summary>
    public IReadOnlyList<string> Texts => [.. Root.Descendants(Svg + "text").Select(t => t.Value.Trim())];

    /// <summary>The texts of the legend; empty when there is no legend.</summary>
    public IReadOnlyList<string> LegendTexts => [.. Root.Elements(Svg + "g").Where(IsLegend).SelectMany(g => g.Descendants(Svg + "text")).Select(t => t.Value.Trim())];

    /// <summary>One group per plottable, in the order they were added.</summary>
    public IReadOnlyList<XElement> DataGroups => [.. Root.Elements(Svg + "g").Where(g => g.Attribute("clip-path") is not null && !IsLegend(g))];

    /// <summary>Parses <paramref name="path"/>; throws when it is not well-formed XML.</summary>
    public static async Task<SvgChart> LoadAsync(string path)
    {
        var document = XDocument.Parse(await File.ReadAllTextAsync(path));
        Assert.Equal(Svg + "svg", document.Root!.Name);
        return new SvgChart(document.Root);
    }

    /// <summary>Elements of <paramref name="group"/> filled with <paramref name="hexColor"/> (bars, markers, dashed lines).</summary>
    public static IReadOnlyList<XElement> Filled(XElement group, string hexColor, string? element = null) =>
        [.. group.Elements().Where(e => string.Equals((string?)e.Attribute("fill"), hexColor, StringComparison.OrdinalIgnoreCase)
            && (element is null || e.Name == Svg + element))];

    /// <summary>The unfilled, stroked paths of <paramref name="group"/>: the lines of a scatter.</summary>
    public static IReadOnlyList<XElement> Lines(XElement group) =>
        [.. group.Elements(Svg + "path").Where(e => (string?)e.Attribute("fill") == "none" && e.Attribute("stroke") is not null)];

    /// <summary>How many vertices a path's <c>d</c> moves or draws to (M and L commands).</summary>
    public static int Vertices(XElement path) => PathCommand().Count((string)path.Attribute("d")!);

    /// <summary>The bounding box of a <c>rect</c>, <c>ellipse</c> or straight-segment <c>path</c>, in pixels.</summary>
    public static (double Left, double Top, double Right, double Bottom) Box(XElement element)
    {
        double Number(string name) => double.Parse(element.Attribute(name)!.Value, CultureInfo.InvariantCulture);
        if (element.Name == Svg + "rect")
        {
            return (Number("x"), Number("y"), Number("x") + Number("width"), Number("y") + Number("height"));
        }

        if (element.Name == Svg + "ellipse")
        {
            return (Number("cx") - Number("rx"), Number("cy") - Number("ry"), Number("cx") + Number("rx"), Number("cy") + Number("ry"));
        }

        var values = Coordinate().Matches((string)element.Attribute("d")!).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();
        var xs = values.Where((_, i) => i % 2 == 0).ToList();
        var ys = values.Where((_, i) => i % 2 == 1).ToList();
        return (xs.Min(), ys.Min(), xs.Max(), ys.Max());
    }

    private static bool IsLegend(XElement group) => group.Descendants(Svg + "text").Any();

    [GeneratedRegex("[ML]")]
    private static partial Regex PathCommand();

    [GeneratedRegex(@"-?\d+(\.\d+)?(e-?\d+)?")]
    private static partial Regex Coordinate();
}
