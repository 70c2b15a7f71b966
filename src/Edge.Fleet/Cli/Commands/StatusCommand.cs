using System.CommandLine;
using Edge.Fleet.Publishing;

namespace Edge.Fleet.Cli.Commands;

/// <summary>
/// <c>edge-fleet status &lt;job&gt; --fleet F</c>: the latest state of every device that reported on the job. State
/// reports are retained, so a short subscription collects them; one line per device.
/// </summary>
internal static class StatusCommand
{
    public static Command Build(CliContext context, TimeProvider time)
    {
        var job = new Argument<string>("job") { Description = "The job id." };
        var wait = new Option<double>("--wait") { Description = "Seconds to collect the retained reports.", DefaultValueFactory = _ => 2 };
        var broker = new BrokerOptions();
        var command = new Command("status", "Show the per-device state of an OTA job.") { job, wait };
        broker.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var jobId = parseResult.GetRequiredValue(job);
            var fleet = parseResult.GetRequiredValue(broker.Fleet);
            using var client = await BrokerConnection.ConnectAsync(parseResult.GetRequiredValue(broker.Broker), $"edge-fleet-status-{Guid.NewGuid():N}", parseResult.GetValue(broker.User), broker.PasswordFrom(parseResult), cancellationToken);
            using var states = new JobStateTracker(client, fleet);
            await states.StartAsync(cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(parseResult.GetValue(wait)), time, cancellationToken);
            var reports = states.ForJob(jobId);
            if (reports.Count == 0)
            {
                await context.Output.WriteLineAsync($"no device has reported on job {jobId} in fleet {fleet}");
                return ExitCodes.GoalNotMet;
            }

            foreach (var report in reports)
            {
                await context.Output.WriteLineAsync(DeployCommand.Describe(report) + $" (active {report.ActiveVersion ?? "-"}, at {report.Timestamp:O})");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
