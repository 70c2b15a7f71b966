using System.CommandLine;
using Edge.Fleet.Deployments;
using Edge.Fleet.Groups;
using Edge.Fleet.Publishing;
using Edge.Fleet.Storage;

namespace Edge.Fleet.Cli.Commands;

/// <summary>
/// <c>edge-fleet deploy PKG --group G</c>: verifies the package, plans waves over the group, refuses overlaps, stores
/// the deployment and runs it to the end (exit 0 completed, 3 aborted). <c>--dry-run</c> prints the plan only.
/// <c>--device D</c> or <c>--ota-group G</c> instead publish one OTA job (to a device, or to the group topic devices
/// subscribe to through <c>Ota:Groups</c>), serve its chunks and print every state report (the OTA publisher's mode).
/// <c>--shadow F</c> (<see cref="ShadowOptions"/>) makes every job shadow its candidate on live calls before it serves,
/// and a wave whose pooled agreement is below <c>--min-agreement</c> aborts the rollout.
/// </summary>
internal static class DeployCommand
{
    public static Command Create(CliContext context, TimeProvider time)
    {
        var package = new Argument<string>("package") { Description = "The .edgepkg to deploy." };
        var group = new Option<string?>("--group") { Description = "Target group (edge-fleet groups): a wave rollout." };
        var device = new Option<string?>("--device") { Description = "One device: publish a single job and follow it." };
        var otaGroup = new Option<string?>("--ota-group") { Description = "Publish one job on edge-groups/{fleet}/{group}/ota/job (devices list the group in Ota:Groups)." };
        var waves = new Option<string>("--waves") { Description = "Cumulative wave sizes (default 1,10%,50%,100%).", DefaultValueFactory = _ => "1,10%,50%,100%" };
        var maxConcurrent = new Option<int>("--max-concurrent") { Description = "Most jobs in flight (default 50).", DefaultValueFactory = _ => 50 };
        var failureRate = new Option<string>("--abort-failure-rate") { Description = "Abort when more than this share of a wave fails or times out (default 10%).", DefaultValueFactory = _ => "10%" };
        var latency = new Option<string?>("--abort-latency-p95-regression") { Description = "Abort when updated devices' p95 rises more than this over the previous version (default 20%; 'off' to disable).", DefaultValueFactory = _ => "20%" };
        var errorRate = new Option<string?>("--abort-error-rate") { Description = "Abort when errors per call after activation exceed this (default 1%; 'off' to disable).", DefaultValueFactory = _ => "1%" };
        var window = new Option<string?>("--window") { Description = "Daily UTC window for starting devices, HH:mm-HH:mm." };
        var soak = new Option<string>("--soak") { Description = "KPI watch after each wave (default 2m).", DefaultValueFactory = _ => "2m" };
        var deviceTimeout = new Option<string>("--device-timeout") { Description = "A device without a terminal report after this is timed out (default 15m).", DefaultValueFactory = _ => "15m" };
        var minSamples = new Option<int>("--min-kpi-samples") { Description = "Telemetry samples needed to judge KPIs (default 3).", DefaultValueFactory = _ => 3 };
        var rollbackOnAbort = new Option<bool>("--rollback-on-abort") { Description = "Roll updated devices back when the rollout aborts (needs --rollback-package)." };
        var rollbackPackage = new Option<string?>("--rollback-package") { Description = "The previous version's package, sent with allowDowngrade to roll back." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan; publish nothing, store nothing." };
        var detach = new Option<bool>("--detach")
        {
            Description = "Store the deployment (and, on PostgreSQL, its packages) and return: the 'edge-fleet serve' instances started with --job-key drive it.",
        };
        var hold = new Option<bool>("--hold")
        {
            Description = "With --detach: store the deployment paused; start it from the dashboard or with 'edge-fleet resume'.",
        };
        var command = new Command(
            "deploy",
            "Wave rollout of a model package to a group, with abort on failures and on post-activation KPIs (p95 latency and errors "
            + "from the devices' inference telemetry). An agent without an app makes no inference calls and reports no latency: "
            + "for such devices pass --abort-latency-p95-regression off --abort-error-rate off (each device's own health gate still "
            + "runs its golden samples), or the rollout aborts for lack of telemetry.")
        {
            package, group, waves, maxConcurrent, failureRate, latency, errorRate, window, soak, deviceTimeout, minSamples,
            rollbackOnAbort, rollbackPackage, dryRun, detach, hold, PackageTrustOptions.Trust, PackageTrustOptions.AllowUnsigned, PassportOptions.RequirePassport,
            device, otaGroup, SingleJob.JobId, SingleJob.Url, SingleJob.ChunkSize, SingleJob.AllowDowngrade, SingleJob.MaxLatencyRatio, SingleJob.MaxLiveLatencyRatio, SingleJob.WatchSeconds, SingleJob.ServeFor,
        };
        foreach (var option in ShadowOptions.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var targets = new[] { parse.GetValue(group), parse.GetValue(device), parse.GetValue(otaGroup) }.Count(t => t is not null);
            if (targets != 1)
            {
                throw new CliUsageException("Give exactly one of --device and --group (or --ota-group).");
            }

            var fleet = FleetCommandOptions.FleetId(parse);
            var errors = new List<string>();
            var shadow = ShadowOptions.Parse(parse, errors);
            if (parse.GetValue(group) is null)
            {
                if (shadow is not null)
                {
                    errors.AddRange(DeploymentOptions.ValidateShadow(shadow));
                }

                CliUsageException.ThrowIfAny(errors);
                var path = Path.GetFullPath(parse.GetValue(package)!);
                return parse.GetValue(device) is { } single
                    ? await SingleJob.RunAsync(context, parse, time, fleet, path, single, null, shadow, cancellationToken)
                    : await SingleJob.RunAsync(context, parse, time, fleet, path, null, parse.GetValue(otaGroup), shadow, cancellationToken);
            }

            // Each unreadable value is listed with the others instead of ending the parse at the first.
            var defaults = new DeploymentOptions();
            var options = new DeploymentOptions
            {
                Waves = parse.GetValue(waves)!,
                MaxConcurrent = parse.GetValue(maxConcurrent),
                AbortFailureRate = FleetCommandOptions.ReadOrList(() => FleetCommandOptions.Fraction(parse.GetValue(failureRate)!, "--abort-failure-rate"), defaults.AbortFailureRate, errors),
                AbortLatencyP95Regression = FleetCommandOptions.ReadOrList(() => OptionalFraction(parse.GetValue(latency), "--abort-latency-p95-regression"), defaults.AbortLatencyP95Regression, errors),
                AbortErrorRate = FleetCommandOptions.ReadOrList(() => OptionalFraction(parse.GetValue(errorRate), "--abort-error-rate"), defaults.AbortErrorRate, errors),
                Window = parse.GetValue(window),
                Soak = FleetCommandOptions.ReadOrList(() => FleetCommandOptions.Duration(parse.GetValue(soak)!, "--soak"), defaults.Soak, errors),
                DeviceTimeout = FleetCommandOptions.ReadOrList(() => FleetCommandOptions.Duration(parse.GetValue(deviceTimeout)!, "--device-timeout"), defaults.DeviceTimeout, errors),
                MinKpiSamples = parse.GetValue(minSamples),
                RollbackOnAbort = parse.GetValue(rollbackOnAbort),
                RollbackPackage = parse.GetValue(rollbackPackage) is { } rollback ? Path.GetFullPath(rollback) : null,
                // The gate settings reach a wave's jobs only when given, so stored deployments keep the device defaults.
                GateMaxLatencyRatio = Explicit(parse, SingleJob.MaxLatencyRatio),
                GateWatchWindowSeconds = Explicit(parse, SingleJob.WatchSeconds),
                GateMaxLiveLatencyRatio = Explicit(parse, SingleJob.MaxLiveLatencyRatio),
                Shadow = shadow,
            };
            errors.AddRange(options.Validate());
            if (parse.GetValue(hold) && !parse.GetValue(detach))
            {
                errors.Add("--hold: only with --detach (a held deployment waits for an operator to start it, so it is stored, not run here).");
            }

            CliUsageException.ThrowIfAny(errors);

            var packagePath = Path.GetFullPath(parse.GetValue(package)!);
            var info = await PackageTrustOptions.VerifyAsync(parse, packagePath, cancellationToken);
            var rollbackInfo = options.RollbackPackage is { } rollbackPath ? await PackageTrustOptions.VerifyAsync(parse, rollbackPath, cancellationToken) : null;
            await using var store = await FleetCommandOptions.OpenStoreAsync(parse, time, cancellationToken);
            var definition = await store.Groups.GetAsync(parse.GetValue(group)!, cancellationToken);
            using var signer = await FleetCommandOptions.JobSignerAsync(parse, cancellationToken);
            await using var connection = await FleetCommandOptions.ConnectAsync(parse, context, time, "deploy", cancellationToken);
            await using var session = new DeploymentSession(store, connection, fleet, signer, time);
            session.AddPackage(packagePath, info);
            if (rollbackInfo is not null)
            {
                session.AddPackage(options.RollbackPackage!, rollbackInfo);
            }

            await session.StartAsync(cancellationToken);
            var inventory = await session.RefreshInventoryAsync(cancellationToken);
            var targetDevices = GroupStore.Resolve(definition, inventory, fleet);
            await PassportOptions.CheckAsync(parse, context, packagePath, targetDevices, cancellationToken);
            var plan = DeploymentPlanner.Plan(DeploymentPlanner.NewId(), definition.Name, packagePath, info.Name, info.Version, options, targetDevices);
            foreach (var line in plan.Describe())
            {
                await context.Output.WriteLineAsync(line);
            }

            if (parse.GetValue(dryRun))
            {
                await context.Output.WriteLineAsync("dry run: nothing was published or stored.");
                return ExitCodes.Success;
            }

            // Kept in the store first, so whichever instance drives the deployment can serve its chunks.
            await store.Packages.SaveAsync(info.Sha256, packagePath, cancellationToken);
            if (rollbackInfo is not null)
            {
                await store.Packages.SaveAsync(rollbackInfo.Sha256, options.RollbackPackage!, cancellationToken);
            }

            if (parse.GetValue(detach))
            {
                var held = parse.GetValue(hold);
                await DeploymentPlanner.CreateAsync(session.Deployments, plan, info.Sha256, rollbackInfo?.Sha256, null, held, cancellationToken);
                await context.Output.WriteLineAsync(held
                    ? $"{plan.Id}: stored paused ({DeploymentPlanner.HeldReason} {plan.Id}); then an 'edge-fleet serve' instance with --job-key on {store.Description} drives it."
                    : $"{plan.Id}: stored; an 'edge-fleet serve' instance with --job-key on {store.Description} drives it. Follow it with 'edge-fleet status {plan.Id}'.");
                return ExitCodes.Success;
            }

            var lease = DeploymentLease.ForCommand();
            await DeploymentPlanner.CreateAsync(session.Deployments, plan, info.Sha256, rollbackInfo?.Sha256, lease, hold: false, cancellationToken);
            return await RunToEndAsync(context, session, plan.Id, lease, cancellationToken);
        });
        return command;
    }

    /// <summary>Runs the engine, printing events on standard error; 0 when completed, 3 when aborted.</summary>
    public static async Task<int> RunToEndAsync(CliContext context, DeploymentSession session, string id, DeploymentLease lease, CancellationToken cancellationToken)
    {
        await context.Error.WriteLineAsync(
            $"edge-fleet: running {id}; stop any time with Ctrl+C and continue with 'dotnet edge-fleet resume {id}' (a 'serve' instance with --job-key on the same store takes it over by itself).");
        var result = await session.Engine(line => context.Error.WriteLine($"edge-fleet: {line}"), lease).RunAsync(id, cancellationToken);
        await context.Output.WriteLineAsync($"{result.Id}: {result.State}: {result.Reason}");
        return result.State == RolloutStates.Completed ? ExitCodes.Success : ExitCodes.GoalNotMet;
    }

    private static double? Explicit(ParseResult parse, Option<double> option) =>
        parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option) : null;

    private static double? OptionalFraction(string? text, string option) =>
        text is null || text.Equals("off", StringComparison.OrdinalIgnoreCase) ? null : FleetCommandOptions.Fraction(text, option);
}
