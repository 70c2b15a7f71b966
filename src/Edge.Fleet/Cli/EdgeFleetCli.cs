using System.CommandLine;
using Edge.Fleet.Cli.Commands;
using Edge.Fleet.Observability;

namespace Edge.Fleet.Cli;

/// <summary>Builds the <c>edge-fleet</c> command tree and runs it with the shared one-line error contract.</summary>
public static class EdgeFleetCli
{
    /// <summary>The global <c>--verbose</c> flag: stack traces and extra diagnostics.</summary>
    public static Option<bool> VerboseOption { get; } = new("--verbose", "-v")
    {
        Description = "Print stack traces and extra diagnostics.",
        Recursive = true,
    };

    public static RootCommand Build(CliContext context, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        time ??= TimeProvider.System;
        var root = new RootCommand("edge-fleet: inventory, wave rollouts of signed model packages, and live monitoring of a device fleet over MQTT.")
        {
            VerboseOption,
        };
        foreach (var option in FleetCommandOptions.All)
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(DevicesCommand.Create(context, time));
        root.Subcommands.Add(GroupsCommand.Create(context, time));
        root.Subcommands.Add(DeployCommand.Create(context, time));
        root.Subcommands.Add(BenchCommand.Create(context, time));
        root.Subcommands.Add(CaptureCommand.Create(context, time));
        root.Subcommands.Add(StatusCommand.Create(context, time));
        root.Subcommands.Add(PauseCommand.Create(context, time));
        root.Subcommands.Add(ResumeCommand.Create(context, time));
        root.Subcommands.Add(RollbackCommand.Create(context, time));
        root.Subcommands.Add(MonitorCommand.Create(context, time));
        root.Subcommands.Add(ExportCommand.Create(context, time));
        root.Subcommands.Add(DashboardCommand.Create(context, time));
        root.Subcommands.Add(ServeCommand.Create(context, time));
        root.Subcommands.Add(CertCommand.Create(context));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given writers, and returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool interactive = false, CancellationToken cancellationToken = default) =>
        RunAsync(args, output, error, Environment.GetEnvironmentVariable, interactive, cancellationToken);

    /// <summary>
    /// Parses and runs <paramref name="args"/> and returns the exit code. With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set in
    /// <paramref name="environment"/>, rollout spans and counters are exported over OTLP while the command runs
    /// (<see cref="FleetTelemetryExport"/>).
    /// </summary>
    public static async Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, Func<string, string?> environment, bool interactive = false, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(output, error, interactive);
        var parseResult = Build(context).Parse(args);
        var verbose = parseResult.GetValue(VerboseOption);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
            {
                error.WriteLine($"error: {parseError.Message}");
            }

            error.WriteLine("Run 'dotnet edge-fleet --help' for usage.");
            return ExitCodes.BadInput;
        }

        try
        {
            using var export = FleetTelemetryExport.Start(environment);
            var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
            return await parseResult.InvokeAsync(configuration, cancellationToken);
        }
#pragma warning disable CA1031 // The CLI's contract is to turn every failure into one line and an exit code.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            // edge-fleet's own errors (unknown group, overlapping deployment, unreachable broker) are bad input or
            // environment, exit code 2 like the shared ones.
            return ErrorReporter.Report(exception, error, verbose, e => e is FleetException or Bench.DeviceBenchUnavailableException);
        }
    }
}
