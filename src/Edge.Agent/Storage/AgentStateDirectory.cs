namespace Edge.Agent;

/// <summary>
/// Where the agent keeps its state by default (the outbox database): the folder systemd made for the service
/// (<c>STATE_DIRECTORY</c>, from <c>StateDirectory=edge-agent</c>: /var/lib/edge-agent), otherwise the user's
/// <c>$XDG_STATE_HOME/edge-agent</c> or <c>~/.local/state/edge-agent</c>, so that a developer's <c>dotnet run</c>
/// needs no root. /var/lib/edge-agent only when there is no home folder either.
/// </summary>
public static class AgentStateDirectory
{
    /// <summary>The default state folder for the current process's environment.</summary>
    public static string Resolve() => Resolve(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The default state folder for the given environment (for tests).</summary>
    /// <param name="variable">Reads an environment variable.</param>
    /// <param name="home">The user's home folder, or empty when there is none.</param>
    public static string Resolve(Func<string, string?> variable, string home)
    {
        ArgumentNullException.ThrowIfNull(variable);

        // systemd passes one path per StateDirectory= entry, separated by colons; the unit names only ours.
        var systemd = variable("STATE_DIRECTORY");
        if (!string.IsNullOrWhiteSpace(systemd))
        {
            return systemd.Split(':', StringSplitOptions.RemoveEmptyEntries)[0];
        }

        var xdg = variable("XDG_STATE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "edge-agent");
        }

        return string.IsNullOrEmpty(home) ? "/var/lib/edge-agent" : Path.Combine(home, ".local", "state", "edge-agent");
    }
}
