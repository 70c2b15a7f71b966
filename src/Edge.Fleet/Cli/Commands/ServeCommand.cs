using System.CommandLine;
using System.Runtime.ExceptionServices;
using Edge.Fleet.Dashboard;
using Edge.Fleet.Serving;
using Edge.Packaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Fleet.Cli.Commands;

/// <summary>
/// <c>edge-fleet serve [--instance ID] [--share-group NAME] [--dashboard URL]</c>: the long-running ingest service. Stores every
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
        var dashboard = new Option<string?>("--dashboard") { Description = "Also serve the web dashboard at this address (for example http://127.0.0.1:8080; docs/fleet.md, \"Dashboard\")." };
        var tokenFile = new Option<string?>("--token-file") { Description = "--dashboard: file holding the bearer token actions need (default $EDGE_FLEET_DASHBOARD_TOKEN); without one it is read-only." };
        var lease = new Option<string>("--lease")
        {
            Description = "With --job-key: how long a deployment's lease lasts unrenewed; after a kill -9, another instance takes over within this plus 2 s (default 15s).",
            DefaultValueFactory = _ => "15s",
        };
        var packageCache = new Option<string?>("--package-cache") { Description = "With --job-key: where copies of packages from the store are written (default a folder in the temporary directory)." };
        var keepRaw = new Option<string>("--keep-raw") { Description = "How long raw telemetry rows are kept (default 7d; at least 1d).", DefaultValueFactory = _ => "7d" };
        var keepAggregates = new Option<string>("--keep-aggregates")
        {
            Description = "PostgreSQL: how long the 1-minute aggregates of older telemetry are kept (default 90d).",
            DefaultValueFactory = _ => "90d",
        };
        var command = new Command("serve", "Long-running ingest: stores the fleet's telemetry and statuses through an MQTT 5 shared subscription; several instances split the load. With --job-key (and --trust) it also drives the store's rollouts, one instance per deployment by a lease in the store; with --dashboard it also serves the web dashboard.")
        {
            instance, maxBatch, keepRaw, keepAggregates, dashboard, tokenFile, lease, packageCache, PackageTrustOptions.Trust, PackageTrustOptions.AllowUnsigned,
        };
        foreach (var option in DashboardTlsOptions.All)
        {
            command.Options.Add(option);
        }

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
            var errors = new List<string>();
            var kept = new Storage.TelemetryRetention();
            var retention = new Storage.TelemetryRetention
            {
                Raw = FleetCommandOptions.ReadOrList(() => FleetCommandOptions.Duration(parse.GetValue(keepRaw)!, "--keep-raw"), kept.Raw, errors),
                Aggregates = FleetCommandOptions.ReadOrList(() => FleetCommandOptions.Duration(parse.GetValue(keepAggregates)!, "--keep-aggregates"), kept.Aggregates, errors),
            };
            CliUsageException.ThrowIfAny([.. options.Validate(), .. errors, .. retention.Validate()]);
            var spec = FleetCommandOptions.StoreSpec(parse);
            var dashboardOptions = parse.GetValue(dashboard) is { } listen
                ? DashboardTlsOptions.Apply(parse, new DashboardOptions { Listen = listen, Token = await DashboardCommand.ReadTokenAsync(parse.GetValue(tokenFile), cancellationToken) })
                : null;
            if (dashboardOptions is null && DashboardTlsOptions.All.Any(o => parse.GetResult(o) is not null))
            {
                throw new CliUsageException("--tls-cert, --tls-key and --client-ca configure the dashboard: give --dashboard https://HOST:PORT too.");
            }

            CliUsageException.ThrowIfAny([.. dashboardOptions?.Validate().Select(e => e.Replace("--listen:", "--dashboard:", StringComparison.Ordinal)) ?? []]);

            using var signer = parse.GetValue(FleetCommandOptions.JobKey) is not null || Environment.GetEnvironmentVariable("EDGE_FLEET_JOB_KEY") is { Length: > 0 }
                ? await FleetCommandOptions.JobSignerAsync(parse, cancellationToken)
                : null;
            var rollouts = signer is null ? null : new RolloutDriverOptions
            {
                Signer = signer,
                Trust = await TrustAsync(parse, cancellationToken),
                AllowUnsigned = parse.GetValue(PackageTrustOptions.AllowUnsigned),
                LeaseTtl = FleetCommandOptions.Duration(parse.GetValue(lease)!, "--lease"),
                PackageCache = parse.GetValue(packageCache) is { } cache ? Path.GetFullPath(cache) : Path.Combine(Path.GetTempPath(), $"edge-fleet-packages-{options.Instance}"),
            };
            CliUsageException.ThrowIfAny(rollouts?.Validate() ?? []);

            await using var store = await Storage.FleetStore.OpenAsync(spec, time, retention, cancellationToken);
            using var host = ServeHost.Build(options, broker, store, time, rollouts: rollouts);
            var service = host.Services.GetRequiredService<IngestService>();
            if (given is null)
            {
                host.Services.GetRequiredService<ILogger<IngestService>>().InstanceNotFixed(options.Instance);
            }

            // Inside serve the dashboard's forget also clears the device's retained status on this instance's broker.
            var clearer = new BrokerRetainedStatusClearer(broker, fleet, options.Instance, time);
            await using var web = dashboardOptions is null ? null : await DashboardCommand.StartAsync(store, dashboardOptions, time, clearer, cancellationToken);
            if (web is not null)
            {
                await context.Output.WriteLineAsync($"Dashboard at {web.Address} ({DashboardTlsOptions.Mode(dashboardOptions!)}).");
                await context.Output.FlushAsync(cancellationToken);
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

    /// <summary>The keys packages are verified against when this instance takes a deployment over (as <c>deploy</c> needs them).</summary>
    private static async Task<PackageTrust> TrustAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var keys = parse.GetValue(PackageTrustOptions.Trust) ?? [];
        if (keys.Length == 0 && !parse.GetValue(PackageTrustOptions.AllowUnsigned))
        {
            throw new CliUsageException("--job-key makes serve drive rollouts, which needs --trust KEY.pem to verify their packages (or --allow-unsigned, development only).");
        }

        return keys.Length == 0 ? PackageTrust.None : await PackageTrust.FromPemFilesAsync(keys, cancellationToken);
    }
}
