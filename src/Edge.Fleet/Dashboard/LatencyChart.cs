using System.Globalization;
using System.Text;
using Edge.Fleet.Monitoring;

namespace Edge.Fleet.Dashboard;

/// <summary>
/// Draws p50 and p95 latency over time as an inline SVG, server-side, so the live stream can send it like any other
/// section. One line per figure over the rows that report it; the y axis starts at 0.
/// </summary>
internal static class LatencyChart
{
    private const int Width = 640;
    private const int Height = 200;
    private const int Margin = 40;

    /// <param name="rows">One device's rows with latency figures, oldest first.</param>
    public static string Svg(IReadOnlyList<TelemetryRow> rows)
    {
        var points = rows.Where(r => r.P50Ms is not null || r.P95Ms is not null).ToList();
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg id=\"latency-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" data-points=\"{points.Count}\" role=\"img\" aria-label=\"p50 and p95 latency\">");
        if (points.Count == 0)
        {
            svg.Append("<text x=\"20\" y=\"100\">no latency samples in the window</text></svg>");
            return svg.ToString();
        }

        var first = points[0].At;
        var span = Math.Max(1, (points[^1].At - first).TotalSeconds);
        var top = points.Max(r => Math.Max(r.P50Ms ?? 0, r.P95Ms ?? 0));
        top = top > 0 ? top * 1.1 : 1;
        double X(TelemetryRow r) => Margin + ((r.At - first).TotalSeconds / span * (Width - (2 * Margin)));
        double Y(double value) => Height - Margin + 10 - (value / top * (Height - Margin - 10));

        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Margin}\" y1=\"{Height - Margin + 10}\" x2=\"{Width - Margin}\" y2=\"{Height - Margin + 10}\" stroke=\"#999\"/>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"2\" y=\"14\" font-size=\"11\">{top:F1} ms</text>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{Margin}\" y=\"{Height - 8}\" font-size=\"11\">{DashboardHtml.Time(first)}</text>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - 200}\" y=\"{Height - 8}\" font-size=\"11\">{DashboardHtml.Time(points[^1].At)}</text>");
        Line(svg, "p50", "#2a7", points.Where(r => r.P50Ms is not null).Select(r => (X(r), Y(r.P50Ms!.Value))));
        Line(svg, "p95", "#c33", points.Where(r => r.P95Ms is not null).Select(r => (X(r), Y(r.P95Ms!.Value))));
        svg.Append("<text x=\"").Append(Width - 110).Append("\" y=\"14\" font-size=\"11\" fill=\"#2a7\">p50</text>")
            .Append("<text x=\"").Append(Width - 70).Append("\" y=\"14\" font-size=\"11\" fill=\"#c33\">p95</text></svg>");
        return svg.ToString();
    }

    private static void Line(StringBuilder svg, string name, string color, IEnumerable<(double X, double Y)> points)
    {
        var coordinates = string.Join(' ', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X:F1},{p.Y:F1}")));
        svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"{name}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{coordinates}\"/>");
    }
}
