namespace Edge.Optimizer.Cli;

/// <summary>What a command needs from its environment: where to write. Tests pass string writers.</summary>
internal sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error)
    {
        Output = output;
        Error = error;
    }

    /// <summary>Standard output: results, tables and JSON.</summary>
    public TextWriter Output { get; }

    /// <summary>Standard error: the one-line error, warnings and progress.</summary>
    public TextWriter Error { get; }
}
