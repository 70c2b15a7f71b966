using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.Optimizer.Cli;

namespace Edge.Quickstart.Reporting;

/// <summary>
/// Runs the real <c>edge-optimize</c> and <c>edge-fleet</c> commands in this process, exactly as a user would type
/// them, and turns an unexpected exit code into a <see cref="QuickstartException"/> carrying the tool's own error line.
/// </summary>
internal sealed class ToolRunner(Action<string> trace)
{
    public async Task<(int Code, LineWriter Output)> OptimizeAsync(string[] args, CancellationToken cancellationToken, Action<string>? onError = null)
    {
        trace("dotnet edge-optimize " + Quote(args));
        using var output = new LineWriter();
        using var error = new LineWriter(onError);
        var code = await EdgeOptimizeCli.RunAsync(args, output, error, interactive: false, cancellationToken);
        Check("dotnet edge-optimize", args, code, error, [0]);
        return (code, output);
    }

    public async Task<(int Code, LineWriter Output)> FleetAsync(string[] args, CancellationToken cancellationToken, Action<string>? onError = null, params int[] accepted)
    {
        trace("dotnet edge-fleet " + Quote(args));
        using var output = new LineWriter();
        using var error = new LineWriter(onError);
        var code = await EdgeFleetCli.RunAsync(args, output, error, interactive: false, cancellationToken);
        Check("dotnet edge-fleet", args, code, error, accepted.Length == 0 ? [0] : accepted);
        return (code, output);
    }

    private static void Check(string tool, string[] args, int code, LineWriter error, int[] accepted)
    {
        if (!accepted.Contains(code))
        {
            var last = error.Lines.LastOrDefault(l => l.Length > 0) ?? "(no message)";
            // A tool's bad-input, internal-error or cancelled code passes through; any other unexpected outcome is a goal not met.
            throw new QuickstartException($"{tool} {args[0]} exited {code}: {last}", code is ExitCodes.BadInput or ExitCodes.InternalError or ExitCodes.Cancelled ? code : ExitCodes.GoalNotMet);
        }
    }

    private static string Quote(string[] args) => string.Join(' ', args.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));
}
