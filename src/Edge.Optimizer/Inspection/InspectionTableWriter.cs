using System.Globalization;
using Spectre.Console;

namespace Edge.Optimizer.Inspection;

/// <summary>Writes an <see cref="InspectionReport"/> as plain-text tables (no colour, fixed width) for people.</summary>
internal static class InspectionTableWriter
{
    public static void Write(InspectionReport report, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 120;

        var summary = new Table().Border(TableBorder.Simple).AddColumn("Model").AddColumn(Markup.Escape(report.File));
        summary.AddRow("IR version", N(report.IrVersion));
        summary.AddRow("Opsets", Markup.Escape(string.Join(", ", report.Opsets.Select(o => $"{o.Domain} {o.Version}"))));
        summary.AddRow("Producer", Markup.Escape($"{report.Producer} {report.ProducerVersion}".Trim()));
        summary.AddRow("Nodes", $"{N(report.NodeCount)} ({N(report.SubgraphCount)} subgraphs)");
        summary.AddRow("Parameters", $"{N(report.Parameters)} in {N(report.InitializerCount)} initializers");
        summary.AddRow("Weight bytes", Markup.Escape(report.WeightBytesByType.Count == 0 ? "0" :
            string.Join(", ", report.WeightBytesByType.Select(w => $"{w.Key} {N(w.Value)}"))));
        summary.AddRow("MACs", Markup.Escape(MacsLine(report.Macs)));
        console.Write(summary);

        var values = new Table().Border(TableBorder.Simple).AddColumn("Direction").AddColumn("Name").AddColumn("Type").AddColumn("Shape");
        foreach (var (direction, list) in new[] { ("input", report.Inputs), ("output", report.Outputs) })
        {
            foreach (var value in list)
            {
                values.AddRow(direction, Markup.Escape(value.Name), Markup.Escape(value.Type), Markup.Escape(value.ShapeText));
            }
        }

        console.Write(values);

        var ops = new Table().Border(TableBorder.Simple).AddColumn("Op type").AddColumn(new TableColumn("Count").RightAligned()).AddColumn(new TableColumn("MACs").RightAligned());
        foreach (var op in report.Operators)
        {
            var name = op.Domain.Length == 0 ? op.OpType : $"{op.Domain}:{op.OpType}";
            var macs = op.Domain.Length == 0 && report.Macs.ByOpType.TryGetValue(op.OpType, out var m) ? N(m) : "";
            ops.AddRow(Markup.Escape(name), N(op.Count), macs);
        }

        console.Write(ops);
        foreach (var unknown in report.Macs.Unknown)
        {
            output.WriteLine($"MACs unknown for {unknown.OpType} node '{unknown.Node}': {unknown.Reason}");
        }

        if (report.Macs.SubstitutedDims.Count > 0)
        {
            output.WriteLine($"Note: shapes were measured with symbolic dims set to 1: {string.Join(", ", report.Macs.SubstitutedDims)}.");
        }
    }

    private static string MacsLine(MacReport macs)
    {
        var known = macs.ByOpType.Count == 0 ? "none of Conv/ConvTranspose/Gemm/MatMul" : $"{N(macs.Total)} (Conv, ConvTranspose, Gemm, MatMul of the main graph)";
        return macs.Unknown.Count == 0 ? known : $"{known}; {macs.Unknown.Count} node(s) unknown";
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
