using System.Globalization;
using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Edge.Fleet.Monitoring;

/// <summary>
/// Draws the dashboard from a <see cref="MonitorSnapshot"/> and nothing else, so the same snapshot always gives the
/// same picture and tests can render to a string. Breached values are red and carry a <c>!</c>, so they stand out
/// on terminals without colour too.
/// </summary>
internal static class MonitorRenderer
{
    private const string SparkBlocks = "▁▂▃▄▅▆▇█";

    public static IRenderable Render(MonitorSnapshot snapshot, MonitorThresholds thresholds)
    {
        var table = new Table().Border(TableBorder.Simple).Expand();
        foreach (var (header, right) in new[]
        {
            ("Device", false), ("State", false), ("Model", false), ("p50 ms", true), ("p95 ms", true), ("p95 trend", false),
            ("Errors", true), ("CPU %", true), ("Mem %", true), ("Temp °C", true), ("Drift KL/PSI", true), ("Bad msgs", true),
        })
        {
            var column = new TableColumn(header).NoWrap();
            table.AddColumn(right ? column.RightAligned() : column);
        }

        foreach (var device in snapshot.Devices)
        {
            var breached = thresholds.AnyBreached(device);
            table.AddRow(
                new Markup(breached ? $"[bold red]{Markup.Escape(device.Device)} ![/]" : Markup.Escape(device.Device)),
                new Markup(device.Online ? "[green]online[/]" : "[red]offline ![/]"),
                new Markup(Markup.Escape(device.Model ?? "-")),
                Figure(device.P50Ms, "F1", false),
                Figure(device.P95Ms, "F1", thresholds.P95Breached(device)),
                new Markup(Sparkline(device.P95Trend)),
                Figure(device.Errors, "F0", thresholds.ErrorRateBreached(device), device.ErrorRate is { } rate ? $" ({rate:P1})" : null),
                Figure(device.CpuPercent, "F0", thresholds.CpuBreached(device)),
                Figure(device.MemoryPercent, "F0", thresholds.MemoryBreached(device)),
                Figure(device.TemperatureCelsius, "F1", thresholds.TemperatureBreached(device)),
                DriftCell(device, thresholds),
                Figure(device.Malformed, "F0", device.Malformed > 0));
        }

        var online = snapshot.Devices.Count(d => d.Online);
        var breaching = snapshot.Devices.Count(thresholds.AnyBreached);
        var p95s = snapshot.Devices.Where(d => d.P95Ms is not null).Select(d => d.P95Ms!.Value).Order().ToArray();
        var p50s = snapshot.Devices.Where(d => d.P50Ms is not null).Select(d => d.P50Ms!.Value).Order().ToArray();
        var cpus = snapshot.Devices.Where(d => d.CpuPercent is not null).Select(d => d.CpuPercent!.Value).ToArray();
        var temperatures = snapshot.Devices.Where(d => d.TemperatureCelsius is not null).Select(d => d.TemperatureCelsius!.Value).ToArray();
        table.AddEmptyRow();
        table.AddRow(
            new Markup("[bold]fleet[/]"),
            new Markup($"[bold]{online}/{snapshot.Devices.Count}[/]"),
            new Markup(string.Empty),
            Figure(Median(p50s), "F1", false, " med"),
            Figure(Median(p95s), "F1", false, " med"),
            new Markup(string.Empty),
            Figure(snapshot.Devices.Sum(d => d.ErrorsTotal), "F0", false, " tot"),
            Figure(cpus.Length == 0 ? null : cpus.Average(), "F0", false, " avg"),
            new Markup(string.Empty),
            Figure(temperatures.Length == 0 ? null : temperatures.Max(), "F1", false, " max"),
            new Markup(string.Empty),
            Figure(snapshot.MalformedMessages, "F0", false, " tot"));

        var title = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"[bold]edge-fleet monitor[/] fleet [bold]{Markup.Escape(snapshot.Fleet)}[/]")
            .Append(snapshot.Group is null ? string.Empty : $" group [bold]{Markup.Escape(snapshot.Group)}[/]")
            .Append(CultureInfo.InvariantCulture, $" at {snapshot.Now.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z")
            .Append(snapshot.Broker == "connected" ? " broker: [green]connected[/]" : $" broker: [red]{Markup.Escape(snapshot.Broker)}[/]");
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{snapshot.Devices.Count} devices, {online} online, {breaching} breaching; {snapshot.RecordsIngested} samples from {snapshot.MessagesIngested} messages, {snapshot.Duplicates} duplicates, {snapshot.MalformedMessages} malformed");

        var rows = new List<IRenderable> { new Markup(title.ToString()), new Markup(Markup.Escape(summary)), table };
        if (snapshot.RecentMalformed.Count > 0)
        {
            rows.Add(new Markup("[bold red]Malformed telemetry (latest):[/]"));
            foreach (var bad in snapshot.RecentMalformed)
            {
                rows.Add(new Markup(Markup.Escape($"  {bad.Received.UtcDateTime:HH:mm:ss} {bad.Device ?? "?"} {Shorten(bad.Error, 110)}")));
            }
        }

        return new Rows(rows);
    }

    /// <summary>Renders to plain text (no ANSI codes, no colour) at <paramref name="width"/> columns; for tests and logs.</summary>
    public static string RenderToString(MonitorSnapshot snapshot, MonitorThresholds thresholds, int width = 140)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = width;
        console.Profile.Capabilities.Unicode = true;
        console.Write(Render(snapshot, thresholds));
        return writer.ToString();
    }

    /// <summary>One block character per value, scaled between the series' minimum and maximum.</summary>
    public static string Sparkline(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return "-";
        }

        var min = values.Min();
        var max = values.Max();
        var builder = new StringBuilder(values.Count);
        foreach (var value in values)
        {
            var level = max - min < 1e-9 ? 3 : (int)Math.Round((value - min) / (max - min) * (SparkBlocks.Length - 1));
            builder.Append(SparkBlocks[level]);
        }

        return builder.ToString();
    }

    private static Markup Figure(double? value, string format, bool breached, string? suffix = null)
    {
        if (value is null)
        {
            return new Markup("-");
        }

        var text = Markup.Escape(value.Value.ToString(format, CultureInfo.InvariantCulture) + (suffix ?? string.Empty));
        return new Markup(breached ? $"[bold red]{text} ![/]" : text);
    }

    /// <summary>Input distance and confidence PSI, <c>KL/PSI</c> (<c>-</c> for one not measured); each breached one red with a <c>!</c>.</summary>
    private static Markup DriftCell(DeviceSnapshot device, MonitorThresholds thresholds)
    {
        if (device.Drift is not { } drift)
        {
            return new Markup("-");
        }

        static string Part(double? value, bool breached)
        {
            var text = value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) : "-";
            return breached ? $"[bold red]{text} ![/]" : text;
        }

        return new Markup($"{Part(drift.InputDistance, thresholds.DriftInputBreached(device))}/{Part(drift.ConfidencePsi, thresholds.DriftConfidenceBreached(device))}");
    }

    private static double? Median(double[] sorted) =>
        sorted.Length == 0 ? null : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
