namespace Edge.Optimizer.Pipeline;

/// <summary>What a running pass may use from its surroundings.</summary>
internal sealed class PassContext
{
    public PassContext(TextWriter log, TimeProvider timeProvider, bool verbose, bool interactive)
    {
        Log = log;
        TimeProvider = timeProvider;
        Verbose = verbose;
        Interactive = interactive;
    }

    /// <summary>Progress and diagnostics for a person (standard error at the CLI).</summary>
    public TextWriter Log { get; }

    /// <summary>Time source for durations and ETAs.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Whether the user asked for extra detail.</summary>
    public bool Verbose { get; }

    /// <summary>Whether progress bars may redraw the terminal (false when output is redirected or in CI).</summary>
    public bool Interactive { get; }

    /// <summary>A context that writes nothing, for tests and library callers.</summary>
    public static PassContext Silent { get; } = new(TextWriter.Null, TimeProvider.System, verbose: false, interactive: false);
}
