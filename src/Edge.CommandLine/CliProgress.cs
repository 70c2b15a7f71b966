using Spectre.Console;

namespace Edge.CommandLine;

/// <summary>
/// Progress for long steps (calibration, evaluation, training). On an interactive terminal it draws a Spectre.Console
/// bar with the rate and remaining time on standard error; otherwise (redirected output, CI, tests) it stays silent
/// so logs and JSON stay clean.
/// </summary>
public static class CliProgress
{
    /// <summary>Runs <paramref name="work"/>, showing its progress out of <paramref name="total"/> when interactive.</summary>
    public static T Run<T>(CliContext context, string label, int total, Func<IProgress<int>, T> work)
    {
        if (!context.Interactive || total <= 0)
        {
            return work(new Progress<int>(_ => { }));
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Error) });
        T result = default!;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(progressContext =>
            {
                var task = progressContext.AddTask(label, maxValue: total);
                result = work(new SynchronousProgress(done => task.Value = done));
            });
        return result;
    }

    /// <summary>Reports on the calling thread, unlike <see cref="Progress{T}"/>, so the bar never lags the work.</summary>
    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
