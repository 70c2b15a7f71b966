namespace Edge.Optimizer.Cli;

/// <summary>
/// Thrown by a command when its arguments are wrong in a way the parser cannot see (for example two options
/// that exclude each other). The CLI prints the message as one line and exits with <see cref="ExitCodes.BadInput"/>.
/// </summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
