using System.CommandLine;
using System.Globalization;
using Edge.Fleet.Dashboard;

namespace Edge.Fleet.Cli.Commands;

/// <summary>
/// <c>edge-fleet dashboard [--listen URL] [--token-file FILE] [--tls-cert PEM --tls-key PEM [--client-ca PEM]]</c>: serves the live web dashboard over the state store
/// until Ctrl+C (docs/fleet.md, "Dashboard").
/// </summary>
internal static class DashboardCommand
{
    public static Command Create(CliContext context, TimeProvider time)
    {
        var listen = new Option<string>("--listen") { Description = $"Address to listen on (default {DashboardOptions.DefaultListen}: loopback only).", DefaultValueFactory = _ => DashboardOptions.DefaultListen };
        var tokenFile = new Option<string?>("--token-file") { Description = "File holding the bearer token that actions need (default $EDGE_FLEET_DASHBOARD_TOKEN); without one the dashboard is read-only." };
        var refresh = new Option<string>("--refresh") { Description = "How often the live stream re-reads the store (default 2s).", DefaultValueFactory = _ => "2s" };
        var window = new Option<string>("--window") { Description = "Telemetry history shown and judged (default 1h).", DefaultValueFactory = _ => "1h" };
        var maxP95 = new Option<string>("--max-p95") { Description = "Breach rule: p95 latency limit in ms of a device's latest sample, or 'off' (default 100); errors > 0 always breach.", DefaultValueFactory = _ => "100" };
        var command = new Command("dashboard", "Serves a live web dashboard of the fleet (overview, devices, rollouts) over the state store; actions need a bearer token or a client certificate.")
        {
            listen, tokenFile, refresh, window, maxP95,
        };
        foreach (var option in DashboardTlsOptions.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var p95Text = parse.GetValue(maxP95)!;
            double? p95 = p95Text == "off" ? null
                : double.TryParse(p95Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
                : throw new CliUsageException($"--max-p95: '{p95Text}' is not a number of milliseconds or 'off'.");
            var options = DashboardTlsOptions.Apply(parse, new DashboardOptions
            {
                Listen = parse.GetValue(listen)!,
                Token = await ReadTokenAsync(parse.GetValue(tokenFile), cancellationToken),
                Refresh = FleetCommandOptions.Duration(parse.GetValue(refresh)!, "--refresh"),
                Window = FleetCommandOptions.Duration(parse.GetValue(window)!, "--window"),
                MaxP95Ms = p95,
            });
            CliUsageException.ThrowIfAny(options.Validate());

            await using var store = await FleetCommandOptions.OpenStoreAsync(parse, time, cancellationToken);
            await using (var server = await StartAsync(store, options, time, null, cancellationToken))
            {
                var mode = DashboardTlsOptions.Mode(options);
                await context.Output.WriteLineAsync($"Dashboard of {store.Description} at {server.Address} ({mode}); Ctrl+C stops it.");
                await server.WaitForShutdownAsync(cancellationToken);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Starts the dashboard over <paramref name="store"/>; an address it cannot listen on is bad input.</summary>
    public static async Task<DashboardServer> StartAsync(
        Storage.IFleetStore store, DashboardOptions options, TimeProvider time, IRetainedStatusClearer? clearer, CancellationToken cancellationToken)
    {
        try
        {
            return await DashboardServer.StartAsync(store, options, time, clearer, cancellationToken);
        }
        catch (IOException e)
        {
            throw new CliUsageException($"{options.Listen}: cannot listen there ({e.Message}).", e);
        }
    }

    /// <summary>The token from the file (trimmed), else <c>$EDGE_FLEET_DASHBOARD_TOKEN</c>, else null.</summary>
    public static async Task<string?> ReadTokenAsync(string? path, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return Environment.GetEnvironmentVariable("EDGE_FLEET_DASHBOARD_TOKEN") is { Length: > 0 } fromEnvironment ? fromEnvironment.Trim() : null;
        }

        try
        {
            return (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"--token-file: cannot read '{path}' ({e.Message}).", e);
        }
    }
}
