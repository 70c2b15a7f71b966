using System.CommandLine;
using System.Runtime.ExceptionServices;
using Edge.Fleet.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Fleet.Cli.Commands;

/// <summary>
/// <c>edge-fleet serve [--instance ID] [--share-group NAME]</c>: the long-running ingest service. Stores every
/// telemetry batch and status of the fleet, acknowledging each message only once it is stored; run several instances
/// (each with its own <c>--instance</c>) on one store to split the load. Runs until SIGTERM or Ctrl+C, then exits 0.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context, TimeProvider time)
    {
        var instance = new Option<string?>("--instance")
        {
            Description = "This instance's id, fixed across restarts so the broker hands back what it queued (default {hostname}-{pid}, new on every start).",
        };
        var maxBatch = new Option<int>("--max-batch")
        {
            Description = $"Most messages stored per transaction, 1 to {ServeOptions.MaxBatchMessagesLimit} (default 500).",
            DefaultValueFactory = _ => 500,
        };
        var command = new Command("serve", "Long-running ingest: stores the fleet's telemetry and statuses through an MQTT 5 shared subscription; several instances split the load.")
        {
            instance, maxBatch,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var fleet = FleetCommandOptions.FleetId(parse);
            var broker = FleetCommandOptions.BrokerOptions(parse);
            var given = parse.GetValue(instance);
            var options = new ServeOptions
            {
                Fleet = fleet,
                Instance = given ?? ServeOptions.DefaultInstance(),
                ShareGroup = parse.GetValue(FleetCommandOptions.ShareGroup) ?? "edge-fleet",
                MaxBatchMessages = parse.GetValue(maxBatch),
            };
            CliUsageException.ThrowIfAny(options.Validate());
            var spec = FleetCommandOptions.StoreSpec(parse);

            await using var store = await Storage.FleetStore.OpenAsync(spec, time, cancellationToken);
            using var host = ServeHost.Build(options, broker, store, time);
            var service = host.Services.GetRequiredService<IngestService>();
            if (given is null)
            {
                host.Services.GetRequiredService<ILogger<IngestService>>().InstanceNotFixed(options.Instance);
            }

            // The host's console lifetime stops it on SIGTERM and Ctrl+C; the token covers callers that cancel.
            await host.RunAsync(cancellationToken);
            if (service.Failure is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            await context.Output.FlushAsync(CancellationToken.None);
            return ExitCodes.Success;
        });
        return command;
    }
}
