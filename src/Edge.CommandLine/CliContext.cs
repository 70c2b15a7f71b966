namespace Edge.CommandLine;

/// <summary>What a command needs from its environment: where to write. Tests pass string writers.</summary>
public sealed class CliContext
{
    /// <summary>Creates a context writing to the given writers.</summary>
    public CliContext(TextWriter output, TextWriter error, bool interactive = false)
    {
        Output = output;
        Error = error;
        Interactive = interactive;
    }

    /// <summary>Standard output: results, tables and JSON.</summary>
    public TextWriter Output { get; }

    /// <summary>Standard error: the one-line error, warnings and progress.</summary>
    public TextWriter Error { get; }

    /// <summary>Whether standard error is a terminal a person watches, so progress bars may redraw it.</summary>
    public bool Interactive { get; }
}
