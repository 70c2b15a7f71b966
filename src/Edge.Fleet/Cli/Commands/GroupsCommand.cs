using System.CommandLine;
using Edge.Fleet.Groups;
using Edge.Fleet.Storage;

namespace Edge.Fleet.Cli.Commands;

/// <summary><c>edge-fleet groups add|list|remove</c>: groups by attribute selector or explicit device list.</summary>
internal static class GroupsCommand
{
    public static Command Create(CliContext context, TimeProvider time)
    {
        var name = new Argument<string>("name") { Description = "Group name." };
        var selector = new Option<string?>("--selector") { Description = "Attribute selector, e.g. board=jetson-orin-nano,site=lobby." };
        var devices = new Option<string?>("--devices") { Description = "Explicit comma-separated device ids." };
        var add = new Command("add", "Defines a group.") { name, selector, devices };
        add.SetAction(async (parse, cancellationToken) =>
        {
            await using var store = await FleetCommandOptions.OpenStoreAsync(parse, time, cancellationToken);
            var list = parse.GetValue(devices)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
            var group = await store.Groups.AddAsync(parse.GetValue(name)!, parse.GetValue(selector), list, cancellationToken);
            await context.Output.WriteLineAsync($"group {group.Name}: {group.Describe()}");
            return ExitCodes.Success;
        });

        var list = new Command("list", "Lists groups and how many known devices each matches.");
        list.SetAction(async (parse, cancellationToken) =>
        {
            await using var store = await FleetCommandOptions.OpenStoreAsync(parse, time, cancellationToken);
            var fleet = parse.GetValue(FleetCommandOptions.Fleet) ?? Environment.GetEnvironmentVariable("EDGE_FLEET");
            var inventory = (await store.Inventory.LoadAsync(cancellationToken)).Where(d => fleet is null || d.Fleet == fleet).ToArray();
            foreach (var group in await store.Groups.ListAsync(cancellationToken))
            {
                var members = GroupStore.Resolve(group, inventory, fleet ?? "?");
                await context.Output.WriteLineAsync($"{group.Name}\t{members.Count} devices\t{group.Describe()}");
            }

            return ExitCodes.Success;
        });

        var removeName = new Argument<string>("name") { Description = "Group name." };
        var remove = new Command("remove", "Removes a group (refused while a running deployment targets it).") { removeName };
        remove.SetAction(async (parse, cancellationToken) =>
        {
            await using var store = await FleetCommandOptions.OpenStoreAsync(parse, time, cancellationToken);
            await store.Groups.RemoveAsync(parse.GetValue(removeName)!, cancellationToken);
            return ExitCodes.Success;
        });

        return new Command("groups", "Device groups stored in the state file.") { add, list, remove };
    }
}
