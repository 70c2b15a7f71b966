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
            session.AddPackage(deployment.PackagePath, await PackageTrustOptions.VerifyAsync(parse, deployment.PackagePath, cancellationToken));
            if (deployment.Options.RollbackPackage is { } rollback)
            {
                session.AddPackage(rollback, await PackageTrustOptions.VerifyAsync(parse, rollback, cancellationToken));
            }

            await session.StartAsync(cancellationToken);
            await session.ServePublishedAsync(deployment.Id, cancellationToken);
            return await DeployCommand.RunToEndAsync(context, session, deployment.Id, cancellationToken);
        });
        return command;
    }
}
