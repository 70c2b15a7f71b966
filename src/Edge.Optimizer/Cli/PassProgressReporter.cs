using System.Globalization;
using Edge.CommandLine;
using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Cli;

/// <summary>
/// Draws a pass's progress on an interactive terminal as one line on standard error that redraws in place (stage,
/// count, percent, time left) and is cleared when the stage ends. Silent when output is redirected, in CI and in tests,
/// so logs and JSON stay clean.
/// </summary>
internal sealed class PassProgressReporter(CliContext context, TimeProvider time) : IProgress<PassProgress>
{
    private string? _stage;
    private long _started;
    private long _lastDrawn;

    public void Report(PassProgress value)
    {
        if (!context.Interactive || value.Total <= 0)
        {
            return;
        }

        var now = time.GetTimestamp();
        if (value.Stage != _stage)
        {
            _stage = value.Stage;
            _started = now;
        }

        var finished = value.Done >= value.Total;
        if (!finished && time.GetElapsedTime(_lastDrawn, now) < TimeSpan.FromMilliseconds(100))
        {
            return;
        }

        _lastDrawn = now;
        if (finished)
        {
            context.Error.Write("\r\u001b[2K");
            return;
        }

        var elapsed = time.GetElapsedTime(_started, now);
        var left = value.Done > 0 ? TimeSpan.FromTicks(elapsed.Ticks * (value.Total - value.Done) / value.Done) : (TimeSpan?)null;
        context.Error.Write(string.Create(
            CultureInfo.InvariantCulture,
            $"\r\u001b[2K{value.Stage} {value.Done}/{value.Total} ({100.0 * value.Done / value.Total:0}%){(left is { } l ? $", {l:mm\\:ss} left" : "")}"));
    }
}
