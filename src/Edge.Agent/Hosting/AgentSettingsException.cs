namespace Edge.Agent.Hosting;

/// <summary>
/// A setting, or a file a setting names, that the agent cannot start with: the message names the setting, what was
/// wrong and what was expected. The daemon reports it as one line and exits with code 2, which systemd does not
/// restart (<c>RestartPreventExitStatus=2</c>).
/// </summary>
public sealed class AgentSettingsException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public AgentSettingsException()
    {
    }

    /// <summary>Creates the exception with a message that names the setting and what was expected.</summary>
    /// <param name="message">The one-line message.</param>
    public AgentSettingsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">The one-line message.</param>
    /// <param name="innerException">The underlying error.</param>
    public AgentSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
