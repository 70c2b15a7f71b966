using System.CommandLine;
using System.Globalization;
using Edge.Fleet.Groups;
using Edge.Fleet.Monitoring;
using Edge.Fleet.Storage;

namespace Edge.Fleet.Cli.Commands;

/// <summary><c>edge-fleet export --since 1h|ISO-8601 --format csv|json [--group G] [--output FILE]</c>: stored telemetry.</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context, TimeProvider time)
    {
        var since = new Option<string>("--since") { Description = "Start: a duration back from now (30m, 2h, 7d) or an ISO-8601 time.", Required = true };
        var format = new Option<string>("--format") { Description = "csv or json (default csv).", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong(TelemetryExporter.Formats);
        var group = new Option<string?>("--group") { Description = "Only devices of this group." };
        var output = new Option<string?>("--output", "-o") { Description = "File to write (default standard output)." };
        var command = new Command("export", "Exports stored telemetry (one row per device, sample and model version) for analysis.") { since, format, group, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var from = ParseSince(parse.GetValue(since)!, time.GetUtcNow());
            await using var store = await FleetCommandOptions.OpenStoreAsync(parse, time, cancellationToken);
            IReadOnlyCollection<string>? devices = null;
            if (parse.GetValue(group) is { } name)
            {
                var fleet = FleetCommandOptions.FleetId(parse);
                var definition = await store.Groups.GetAsync(name, cancellationToken);
                devices = (await DevicesCommand.LoadAsync(store, fleet, definition, cancellationToken)).Select(d => d.Device).ToArray();
            }

            var rows = await store.Telemetry.QueryAsync(from, devices, cancellationToken);
            if (parse.GetValue(output) is { } path)
            {
                await using var writer = new StreamWriter(path);
                await TelemetryExporter.WriteAsync(rows, parse.GetValue(format)!, writer, cancellationToken);
            }
            else
            {
                await TelemetryExporter.WriteAsync(rows, parse.GetValue(format)!, context.Output, cancellationToken);
            }

            await context.Error.WriteLineAsync($"edge-fleet: exported {rows.Count} rows since {from:u}.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <exception cref="CliUsageException">Neither a duration nor an ISO-8601 time.</exception>
    public static DateTimeOffset ParseSince(string text, DateTimeOffset now)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) && text.Contains('-', StringComparison.Ordinal))
        {
            return time;
        }

        try
        {
            return now - FleetCommandOptions.Duration(text, "--since");
        }
        catch (CliUsageException)
        {
            throw new CliUsageException($"--since: '{text}' is neither a duration back from now (30m, 2h, 7d) nor an ISO-8601 time (2026-11-22T14:00:00Z).");
        }
    }
}
