using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Edge.Fleet.Deployments;
using Edge.Fleet.Groups;
using Edge.Fleet.Inventory;
using Edge.Fleet.Storage;
using Spectre.Console;

namespace Edge.Fleet.Cli.Commands;

/// <summary><c>edge-fleet devices [--group G] [--json] [--cached]</c>, <c>devices label DEVICE name=value…</c> and <c>devices forget DEVICE</c>.</summary>
internal static class DevicesCommand
{
    private static readonly JsonSerializerOptions JsonOutput = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(CliContext context, TimeProvider time)
    {
        var group = new Option<string?>("--group") { Description = "Only devices of this group." };
        var json = new Option<bool>("--json") { Description = "JSON instead of a table." };
        var cached = new Option<bool>("--cached") { Description = "Use the inventory saved in the state file; do not contact the broker." };
        var quiet = new Option<double>("--settle") { Description = "Seconds without new status messages after which the retained burst is complete (default 0.5).", DefaultValueFactory = _ => 0.5 };
        var command = new Command("devices", "Inventory from the agents' retained status messages: online/offline, last seen, board, versions, active model, open job.")
        {
            group, json, cached, quiet, CreateLabel(time), ForgetDeviceCommand.Create(context, time),
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var fleet = FleetCommandOptions.FleetId(parse);
            await using var store = await FleetCommandOptions.OpenStoreAsync(parse, time, cancellationToken);
            var inventory = store.Inventory;
            GroupDefinition? definition = parse.GetValue(group) is { } name ? await store.Groups.GetAsync(name, cancellationToken) : null;
            if (!parse.GetValue(cached))
            {
                await using var connection = await FleetCommandOptions.ConnectAsync(parse, context, time, "devices", cancellationToken);
                var statuses = new StatusCollector(fleet, time);
                await statuses.StartAsync(connection, cancellationToken);
                await statuses.WaitForRetainedAsync(TimeSpan.FromSeconds(parse.GetValue(quiet)), TimeSpan.FromSeconds(10), cancellationToken);
                await inventory.SaveStatusesAsync(statuses.Statuses.Values.ToArray(), time.GetUtcNow(), cancellationToken);
                if (statuses.Malformed > 0)
                {
                    await context.Error.WriteLineAsync($"edge-fleet: {statuses.Malformed} malformed status message(s) ignored.");
                }
            }

            var devices = await LoadAsync(store, fleet, definition, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(devices, JsonOutput));
            }
            else
            {
                Render(context, devices, time.GetUtcNow());
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The saved inventory with open jobs, restricted to a group when given.</summary>
    public static async Task<IReadOnlyList<DeviceRecord>> LoadAsync(IFleetStore store, string fleet, GroupDefinition? group, CancellationToken cancellationToken)
    {
        var jobs = await store.Deployments.OpenJobsAsync(cancellationToken);
        var all = (await store.Inventory.LoadAsync(cancellationToken))
            .Where(d => d.Fleet == fleet)
            .Select(d => jobs.TryGetValue(d.Device, out var job) ? d with { OpenJob = job } : d)
            .ToArray();
        return group is null ? all : GroupStore.Resolve(group, all, fleet);
    }

    private static void Render(CliContext context, IReadOnlyList<DeviceRecord> devices, DateTimeOffset now)
    {
        var console = CliConsole.ForTables(context);
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in new[] { "Device", "State", "Last seen", "Board", "Agent", "SDK", "Model", "Labels", "Open job" })
        {
            table.AddColumn(new TableColumn(header));
        }

        foreach (var d in devices)
        {
            table.AddRow(
                Markup.Escape(d.Device),
                d.Online ? "[green]online[/]" : $"[red]offline[/]{(d.Reason is null ? string.Empty : " (" + Markup.Escape(d.Reason) + ")")}",
                d.LastSeen is { } seen ? Ago(now - seen) : "-",
                Markup.Escape(d.Board ?? "-"),
                Markup.Escape(d.AgentVersion ?? "-"),
                Markup.Escape(d.SdkVersion ?? "-"),
                Markup.Escape(d.ActiveModel ?? "-"),
                Markup.Escape(string.Join(",", d.Labels.Select(l => $"{l.Key}={l.Value}"))),
                Markup.Escape(d.OpenJob ?? "-"));
        }

        console.Write(table);
        console.WriteLine($"{devices.Count} devices, {devices.Count(d => d.Online)} online");
    }

    private static string Ago(TimeSpan age) => age.TotalSeconds < 90 ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, age.TotalSeconds):F0}s ago")
        : age.TotalMinutes < 90 ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalMinutes:F0}m ago")
        : age.TotalHours < 48 ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalHours:F0}h ago")
        : string.Create(CultureInfo.InvariantCulture, $"{age.TotalDays:F0}d ago");

    private static Command CreateLabel(TimeProvider time)
    {
        var device = new Argument<string>("device") { Description = "Device id." };
        var labels = new Argument<string[]>("labels") { Description = "name=value pairs; name= removes a label.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("label", "Sets operator labels on a device (used by group selectors, e.g. site=lobby).") { device, labels };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var changes = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in parse.GetValue(labels)!)
            {
                var parts = pair.Split('=', 2);
                if (parts.Length != 2 || parts[0].Length == 0)
                {
                    throw new CliUsageException($"Label '{pair}' is not name=value (or name= to remove it).");
                }

                changes[parts[0]] = parts[1].Length == 0 ? null : parts[1];
            }

            await using var store = await FleetCommandOptions.OpenStoreAsync(parse, time, cancellationToken);
            await store.Inventory.SetLabelsAsync(parse.GetValue(device)!, changes, cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }
}
