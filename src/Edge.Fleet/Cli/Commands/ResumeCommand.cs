using System.CommandLine;
using Edge.Fleet.Deployments;
using Edge.Fleet.Storage;

namespace Edge.Fleet.Cli.Commands;

/// <summary><c>edge-fleet resume DEPLOYMENT</c>: continues a deployment from the state file after the tool was stopped.</summary>
internal static class ResumeCommand
{
    public static Command Create(CliContext context, TimeProvider time)
    {
        var id = new Argument<string>("deployment") { Description = "Deployment id (dep-…)." };
        var command = new Command("resume", "Continues a stopped deployment where the state file says it was (a soak resumes with the time left).")
        {
            id, PackageTrustOptions.Trust, PackageTrustOptions.AllowUnsigned,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var fleet = FleetCommandOptions.FleetId(parse);
            await using var store = await FleetCommandOptions.OpenStoreAsync(parse, time, cancellationToken);
            var deployment = await store.Deployments.GetAsync(parse.GetValue(id)!, cancellationToken);
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
            return await DeployCommand.RunToEndAsync(context, session, deployment.Id, DeploymentLease.ForCommand(), cancellationToken);
        });
        return command;
    }
}
