using System.CommandLine;
using Edge.Fleet.Deployments;

namespace Edge.Fleet.Cli.Commands;

/// <summary>
/// <c>edge-fleet pause DEPLOYMENT</c>: pauses a running deployment in the store. Whichever instance drives it stops
/// publishing and moving waves on its next tick (jobs already out are still followed); <c>edge-fleet resume</c> or the
/// dashboard continues it. Needs only the store, no broker.
/// </summary>
internal static class PauseCommand
{
    public static Command Create(CliContext context, TimeProvider time)
    {
        var id = new Argument<string>("deployment") { Description = "Deployment id (dep-…)." };
        var command = new Command("pause", "Pauses a running deployment: no new job is published and no wave moves on until 'edge-fleet resume' (jobs in flight are still followed).")
        {
            id,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var store = await FleetCommandOptions.OpenStoreAsync(parse, time, cancellationToken);
            var outcome = await new DeploymentControl(store.Deployments, time, "with edge-fleet pause").PauseAsync(parse.GetValue(id)!, cancellationToken);
            return await ReportAsync(context, outcome);
        });
        return command;
    }

    /// <summary>Prints a done outcome and returns 0; any other is bad input or a conflict (one line, exit 2).</summary>
    public static async Task<int> ReportAsync(CliContext context, DeploymentActionOutcome outcome)
    {
        if (!outcome.Succeeded)
        {
            throw new CliUsageException(outcome.Message);
        }

        await context.Output.WriteLineAsync(outcome.Message);
        return ExitCodes.Success;
    }
}
