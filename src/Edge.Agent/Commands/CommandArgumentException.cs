namespace Edge.Agent.Commands;

/// <summary>A command's arguments are missing or out of range; the message names the argument and the expected value.</summary>
public sealed class CommandArgumentException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CommandArgumentException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CommandArgumentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public CommandArgumentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
