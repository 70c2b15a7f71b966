using System.Globalization;
using System.Net;
using System.Text;

namespace Edge.Optimizer.Passes.Prune.Sensitivity;

/// <summary>Draws the sensitivity curves (accuracy drop against ratio, one line per unit) as a self-contained SVG image.</summary>
internal static class SensitivityPlot
{
    private const int Width = 760;
    private const int Height = 420;
    private const int Left = 60;
    private const int Right = 220;
    private const int Top = 30;
    private const int Bottom = 50;

    private static readonly string[] Colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public static string Svg(SensitivityResult result, string title)
    {
        var c = CultureInfo.InvariantCulture;
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var maxRatio = result.Curves.SelectMany(cu => cu.Points).Select(p => p.Ratio).DefaultIfEmpty(1).Max();
        var maxDrop = Math.Max(1, result.Curves.SelectMany(cu => cu.Points).Select(p => p.Drop).DefaultIfEmpty(1).Max());
        var minDrop = Math.Min(0, result.Curves.SelectMany(cu => cu.Points).Select(p => p.Drop).DefaultIfEmpty(0).Min());
        double X(double ratio) => Left + (ratio / maxRatio * plotWidth);
        double Y(double drop) => Top + ((maxDrop - drop) / (maxDrop - minDrop) * plotHeight);

        var svg = new StringBuilder();
        svg.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.Append(c, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n");
        svg.Append(c, $"<text x=\"{Left}\" y=\"18\" font-size=\"13\">{WebUtility.HtmlEncode(title)}</text>\n");
        svg.Append(c, $"<line x1=\"{Left}\" y1=\"{Top + plotHeight}\" x2=\"{Left + plotWidth}\" y2=\"{Top + plotHeight}\" stroke=\"black\"/>\n");
        svg.Append(c, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotHeight}\" stroke=\"black\"/>\n");
        for (var i = 0; i <= 4; i++)
        {
            var drop = minDrop + ((maxDrop - minDrop) * i / 4);
            svg.Append(c, $"<text x=\"{Left - 6}\" y=\"{Y(drop) + 4:F1}\" text-anchor=\"end\">{drop:F1}</text>\n");
            var ratio = maxRatio * i / 4;
            svg.Append(c, $"<text x=\"{X(ratio):F1}\" y=\"{Top + plotHeight + 16}\" text-anchor=\"middle\">{ratio:P0}</text>\n");
        }

        svg.Append(c, $"<text x=\"{Left + (plotWidth / 2)}\" y=\"{Height - 12}\" text-anchor=\"middle\">pruned fraction of the layer</text>\n");
        svg.Append(c, $"<text transform=\"translate(16,{Top + (plotHeight / 2)}) rotate(-90)\" text-anchor=\"middle\">accuracy drop (points)</text>\n");
        for (var index = 0; index < result.Curves.Count; index++)
        {
            var curve = result.Curves[index];
            var color = Colors[index % Colors.Length];
            var points = string.Join(" ", curve.Points.Prepend(new SensitivityPoint(0, result.BaseScore, 0)).Select(p => string.Create(c, $"{X(p.Ratio):F1},{Y(p.Drop):F1}")));
            svg.Append(c, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{points}\"/>\n");
            if (index < 24)
            {
                var y = Top + (index * 15);
                svg.Append(c, $"<line x1=\"{Width - Right + 10}\" y1=\"{y}\" x2=\"{Width - Right + 28}\" y2=\"{y}\" stroke=\"{color}\" stroke-width=\"2\"/>\n");
                var label = curve.Unit.Label.Length > 28 ? curve.Unit.Label[..28] + "…" : curve.Unit.Label;
                svg.Append(c, $"<text x=\"{Width - Right + 32}\" y=\"{y + 4}\">{WebUtility.HtmlEncode(label)}</text>\n");
            }
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }
}
