namespace Edge.Agent;

/// <summary>Disk-backed store-and-forward queue (SQLite, WAL, synchronous=FULL).</summary>
public sealed class OutboxOptions
{
    /// <summary>
    /// Database file; the folder is created. Default <c>outbox.db</c> in <see cref="AgentStateDirectory"/>:
    /// /var/lib/edge-agent under the systemd unit, <c>~/.local/state/edge-agent</c> for a user.
    /// </summary>
    public string Path { get; set; } = System.IO.Path.Combine(AgentStateDirectory.Resolve(), "outbox.db");

    /// <summary>Most payload bytes kept; when full the oldest records are dropped and counted. 4 KiB to 1 GiB, default 16 MiB.</summary>
    public long MaxBytes { get; set; } = 16L * 1024 * 1024;
}
