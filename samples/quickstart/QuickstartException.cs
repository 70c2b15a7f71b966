using Edge.CommandLine;

namespace Edge.Quickstart;

/// <summary>
/// A step ran but its outcome was not the one the story needs (exit code 3), or a tool it ran refused its input
/// (that tool's exit code); the message says which step and why.
/// </summary>
internal sealed class QuickstartException : Exception
{
    public QuickstartException(string message)
        : base(message)
    {
    }

    public QuickstartException(string message, int exitCode)
        : base(message) => ExitCode = exitCode;

    public QuickstartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public QuickstartException()
    {
    }

    public int ExitCode { get; } = ExitCodes.GoalNotMet;
}
