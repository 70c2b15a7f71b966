using System.CommandLine;
using Edge.Fleet.Inventory;
using Edge.Fleet.Storage;
using Edge.Protocol.Ota;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Fleet.Cli.Commands;

/// <summary>
/// <c>edge-fleet devices forget DEVICE [--force]</c>: takes a decommissioned device out of the inventory and clears its
/// retained status and OTA state on the broker, so the next <c>devices</c> does not bring it back. A device that is
/// online would announce itself again at once, so it is refused unless <c>--force</c>.
/// </summary>
internal static class ForgetDeviceCommand
{
    public static Command Create(CliContext context, TimeProvider time)
    {
        var device = new Argument<string>("device") { Description = "Device id." };
        var force = new Option<bool>("--force") { Description = "Forget it even though its retained status says online." };
        var command = new Command(
            "forget",
            "Removes a device from the inventory (status, labels, static group membership) and clears its retained status and OTA state "
            + "on the broker; its telemetry and deployment history stay. Stop the device's agent first: an online device is refused unless --force.")
        {
            device, force,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var fleet = FleetCommandOptions.FleetId(parse);
            var id = parse.GetValue(device)!;
            if (!TopicScheme.IsSingleLevel(id))
            {
                throw new CliUsageException($"Device id '{id}' must be one topic level without '/', '+' or '#'.");
            }

            await using var store = await FleetCommandOptions.OpenStoreAsync(parse, time, cancellationToken);
            await using var connection = await FleetCommandOptions.ConnectAsync(parse, context, time, "devices-forget", cancellationToken);
            var statuses = new StatusCollector(fleet, time);
            await statuses.StartAsync(connection, cancellationToken);
            await statuses.WaitForRetainedAsync(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(10), cancellationToken);
            var retained = statuses.Statuses.GetValueOrDefault(id);
            if (retained is { State: "online" } && !parse.GetValue(force))
            {
                throw new CliUsageException($"Device '{id}' is online; stop its agent first (it would announce itself again), or pass --force.");
            }

            var known = await store.Inventory.ForgetAsync(id, cancellationToken);
            if (!known && retained is null)
            {
                throw new CliUsageException($"Device '{id}' is not in fleet '{fleet}': neither the inventory nor the broker knows it.");
            }

            // An empty retained message deletes the retained one (MQTT 3.1.1 and 5).
            foreach (var topic in new[] { new TopicScheme(fleet, id).Status, OtaTopics.State(fleet, id) })
            {
                await connection.PublishAsync(
                    new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload([]).WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
                    cancellationToken);
            }

            await context.Output.WriteLineAsync($"Forgot device '{id}' of fleet '{fleet}': inventory entry, labels and group memberships removed, retained status and OTA state cleared.");
            return ExitCodes.Success;
        });
        return command;
    }
}
