namespace Edge.CommandLine;

/// <summary>
/// Thrown by a command when its arguments are wrong in a way the parser cannot see (for example two options
/// that exclude each other). The CLI prints the message as one line and exits with <see cref="ExitCodes.BadInput"/>.
/// </summary>
public sealed class CliUsageException : Exception
{
    /// <summary>Creates the exception with a message naming the wrong argument and what is expected.</summary>
    public CliUsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Throws one exception listing every problem in <paramref name="errors"/> (options validation reports them all at once); returns when there are none.</summary>
    public static void ThrowIfAny(IReadOnlyCollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count > 0)
        {
            throw new CliUsageException(string.Join(" ", errors));
        }
    }
}
