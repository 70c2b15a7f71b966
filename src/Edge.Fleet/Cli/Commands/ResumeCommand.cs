using System.CommandLine;
using Edge.Fleet.Deployments;
using Edge.Fleet.Storage;

namespace Edge.Fleet.Cli.Commands;

/// <summary>
/// <c>edge-fleet resume DEPLOYMENT</c>: resumes a paused deployment (or starts one stored with <c>deploy --detach
/// --hold</c>), then drives it in the foreground from where the store says it was, unless another instance holds its
/// lease: then that instance continues it and the command returns.
/// </summary>
internal static class ResumeCommand
{
    public static Command Create(CliContext context, TimeProvider time)
    {
        var id = new Argument<string>("deployment") { Description = "Deployment id (dep-…)." };
        var command = new Command(
            "resume",
            "Resumes a paused deployment (or starts a held one) and drives it where the store says it was (a soak resumes with the time left); "
            + "when another instance (a 'serve --job-key') holds it, that instance continues it.")
        {
            id, PackageTrustOptions.Trust, PackageTrustOptions.AllowUnsigned,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var fleet = FleetCommandOptions.FleetId(parse);
            await using var store = await FleetCommandOptions.OpenStoreAsync(parse, time, cancellationToken);
            var deployment = await store.Deployments.GetAsync(parse.GetValue(id)!, cancellationToken);
            if (deployment.State == RolloutStates.Paused)
            {
                await PauseCommand.ReportAsync(context, await new DeploymentControl(store.Deployments, time, "with edge-fleet resume").ResumeAsync(deployment.Id, cancellationToken));
            }

            var lease = DeploymentLease.ForCommand();
            if (!await store.Deployments.TryLeaseAsync(deployment.Id, lease, cancellationToken))
            {
                var holder = (await store.Deployments.FindAsync(deployment.Id, cancellationToken))?.LeaseOwner ?? "another instance";
                await context.Output.WriteLineAsync($"{deployment.Id}: {holder} drives it and continues it; follow it with 'edge-fleet status {deployment.Id}'.");
                return ExitCodes.Success;
            }

            try
            {
                return await DriveAsync(context, parse, store, deployment, fleet, lease, time, cancellationToken);
            }
            finally
            {
                // Whatever ended the run (the engine releases on its own end; this covers a failure before it started).
                await store.Deployments.ReleaseLeaseAsync(deployment.Id, lease.Owner, CancellationToken.None);
            }
        });
        return command;
    }

    private static async Task<int> DriveAsync(
        CliContext context, ParseResult parse, IFleetStore store, DeploymentRecord deployment, string fleet, DeploymentLease lease, TimeProvider time, CancellationToken cancellationToken)
    {
        using var signer = await FleetCommandOptions.JobSignerAsync(parse, cancellationToken);
        await using var connection = await FleetCommandOptions.ConnectAsync(parse, context, time, "deploy", cancellationToken);
        await using var session = new DeploymentSession(store, connection, fleet, signer, time);
        var cache = Path.Combine(Path.GetTempPath(), "edge-fleet-packages");
        var file = await StoredPackages.LocateAsync(store.Packages, deployment.PackagePath, deployment.PackageSha256, cache, cancellationToken);
        session.AddPackage(deployment.PackagePath, await PackageTrustOptions.VerifyAsync(parse, file, cancellationToken), file);
        if (deployment.Options.RollbackPackage is { } rollback)
        {
            var rollbackFile = await StoredPackages.LocateAsync(store.Packages, rollback, deployment.RollbackSha256, cache, cancellationToken);
            session.AddPackage(rollback, await PackageTrustOptions.VerifyAsync(parse, rollbackFile, cancellationToken), rollbackFile);
        }

        await session.StartAsync(cancellationToken);
        await session.ServePublishedAsync(deployment.Id, cancellationToken);
        return await DeployCommand.RunToEndAsync(context, session, deployment.Id, lease, cancellationToken);
    }
}
