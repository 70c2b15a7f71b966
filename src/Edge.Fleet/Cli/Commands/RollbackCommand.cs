using System.CommandLine;
using Edge.Fleet.Deployments;
using Edge.Fleet.Storage;

namespace Edge.Fleet.Cli.Commands;

/// <summary>
/// <c>edge-fleet rollback DEPLOYMENT [--package PREVIOUS.edgepkg]</c>: stops the deployment and sends every updated
/// device a downgrade job with the previous version's package, then follows those jobs to reverted or rollback-failed.
/// </summary>
internal static class RollbackCommand
{
    public static Command Create(CliContext context, TimeProvider time)
    {
        var id = new Argument<string>("deployment") { Description = "Deployment id (dep-…)." };
        var package = new Option<string?>("--package") { Description = "The previous version's package (default: the deployment's --rollback-package)." };
        var command = new Command("rollback", "Rolls the devices a deployment updated back to the previous version.")
        {
            id, package, PackageTrustOptions.Trust, PackageTrustOptions.AllowUnsigned,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var fleet = FleetCommandOptions.FleetId(parse);
            await using var store = await FleetCommandOptions.OpenStoreAsync(parse, time, cancellationToken);
            var deployment = await store.Deployments.GetAsync(parse.GetValue(id)!, cancellationToken);
            var previous = parse.GetValue(package) is { } given ? Path.GetFullPath(given) : deployment.Options.RollbackPackage
                ?? throw new CliUsageException($"Deployment {deployment.Id} has no rollback package; give the previous version's package with --package.");
            var lease = DeploymentLease.ForCommand();
            if (!await store.Deployments.TryLeaseAsync(deployment.Id, lease, cancellationToken))
            {
                return await RequestAsync(context, store, deployment, previous, time, cancellationToken);
            }

            var file = previous == deployment.Options.RollbackPackage
                ? await StoredPackages.LocateAsync(store.Packages, previous, deployment.RollbackSha256, Path.Combine(Path.GetTempPath(), "edge-fleet-packages"), cancellationToken)
                : previous;
            var info = await PackageTrustOptions.VerifyAsync(parse, file, cancellationToken);
            using var signer = await FleetCommandOptions.JobSignerAsync(parse, cancellationToken);
            await using var connection = await FleetCommandOptions.ConnectAsync(parse, context, time, "rollback", cancellationToken);
            await using var session = new DeploymentSession(store, connection, fleet, signer, time);
            session.AddPackage(previous, info, file);
            await session.StartAsync(cancellationToken);
            var engine = session.Engine(line => context.Error.WriteLine($"edge-fleet: {line}"), lease);
            var count = await engine.StartRollbackAsync(deployment.Id, previous, cancellationToken);
            await context.Output.WriteLineAsync($"{deployment.Id}: rollback to {info.Name} {info.Version} sent to {count} devices");
            await engine.RunAsync(deployment.Id, cancellationToken);
            var devices = await session.Deployments.DevicesAsync(deployment.Id, cancellationToken);
            var reverted = devices.Count(d => d.State == RolloutStates.Reverted);
            await context.Output.WriteLineAsync($"{deployment.Id}: {reverted} of {count} devices reverted");
            return reverted == count ? ExitCodes.Success : ExitCodes.GoalNotMet;
        });
        return command;
    }

    /// <summary>
    /// Another instance drives the deployment (a <c>serve</c> holds its lease): the rollback is asked of it through the
    /// store, with the deployment's own rollback package, the only one that instance has verified.
    /// </summary>
    private static async Task<int> RequestAsync(CliContext context, IFleetStore store, DeploymentRecord deployment, string previous, TimeProvider time, CancellationToken cancellationToken)
    {
        var holder = (await store.Deployments.FindAsync(deployment.Id, cancellationToken))?.LeaseOwner ?? "another instance";
        if (previous != deployment.Options.RollbackPackage)
        {
            throw new CliUsageException(
                $"Deployment {deployment.Id} is driven by {holder}, which can roll back only to the deployment's own --rollback-package ({deployment.Options.RollbackPackage ?? "none"}); drop --package, or stop {holder} first.");
        }

        var outcome = await new DeploymentControl(store.Deployments, time, $"with edge-fleet rollback; {holder} sends it").RequestRollbackAsync(deployment.Id, cancellationToken);
        if (!outcome.Succeeded)
        {
            throw new CliUsageException(outcome.Message);
        }

        await context.Output.WriteLineAsync($"{deployment.Id}: rollback requested; {holder} drives the deployment and sends it. Follow it with 'edge-fleet status {deployment.Id}'.");
        return ExitCodes.Success;
    }
}
