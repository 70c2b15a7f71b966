namespace Edge.Optimizer.Pipeline;

/// <summary>What a running pass may use from its surroundings. A pass never reaches past it to the command line.</summary>
internal sealed class PassContext
{
    public PassContext(TextWriter log, TimeProvider timeProvider, bool verbose)
    {
        Log = log;
        TimeProvider = timeProvider;
        Verbose = verbose;
    }

    /// <summary>Diagnostics for a person, one line at a time (standard error at the CLI).</summary>
    public TextWriter Log { get; }

    /// <summary>Time source for durations and ETAs.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Whether the user asked for extra detail.</summary>
    public bool Verbose { get; }

    /// <summary>Receives the progress of long stages (calibration, evaluation); the CLI draws it on a terminal.</summary>
    public IProgress<PassProgress> Progress { get; init; } = NoProgress.Instance;

    /// <summary>
    /// The input model's file when it is already on disk (the recipe's input, or the saved output of the previous
    /// step), so a pass that needs a path reuses it instead of saving the model again; null for in-memory models.
    /// </summary>
    public string? InputPath { get; init; }

    /// <summary>Where a step that writes a file rather than a model (pack) writes it; null outside a pipeline run.</summary>
    public string? OutputPath { get; init; }

    /// <summary>The step's 1-based number in its recipe; 1 outside a run.</summary>
    public int StepIndex { get; init; } = 1;

    /// <summary>The recipe file this run follows, recorded as lineage by steps that write it (pack); null outside a run.</summary>
    public string? RecipePath { get; init; }

    /// <summary>The command line that started the run, recorded as lineage; null when not started from a command line.</summary>
    public string? CommandLine { get; init; }

    /// <summary>A context that writes nothing, for tests and library callers.</summary>
    public static PassContext Silent { get; } = new(TextWriter.Null, TimeProvider.System, verbose: false);

    /// <summary>Runs <paramref name="work"/> with an <see cref="IProgress{T}"/> of finished units that reports as <paramref name="stage"/>.</summary>
    public T Track<T>(string stage, int total, Func<IProgress<int>, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Progress.Report(new PassProgress(stage, 0, total));
        var result = work(new StageProgress(Progress, stage, total));
        Progress.Report(new PassProgress(stage, Math.Max(total, 0), total));
        return result;
    }

    private sealed class NoProgress : IProgress<PassProgress>
    {
        public static NoProgress Instance { get; } = new();

        public void Report(PassProgress value)
        {
        }
    }

    /// <summary>Reports on the calling thread, so a display never lags the work.</summary>
    private sealed class StageProgress(IProgress<PassProgress> target, string stage, int total) : IProgress<int>
    {
        public void Report(int value) => target.Report(new PassProgress(stage, value, total));
    }
}
