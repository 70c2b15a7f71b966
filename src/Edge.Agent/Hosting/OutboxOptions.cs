namespace Edge.Agent;

/// <summary>Disk-backed store-and-forward queue (SQLite, WAL, synchronous=FULL).</summary>
public sealed class OutboxOptions
{
    /// <summary>Database file. Default <c>/var/lib/edge-agent/outbox.db</c>; the folder is created.</summary>
    public string Path { get; set; } = "/var/lib/edge-agent/outbox.db";

    /// <summary>Most payload bytes kept; when full the oldest records are dropped and counted. 4 KiB to 1 GiB, default 16 MiB.</summary>
    public long MaxBytes { get; set; } = 16L * 1024 * 1024;
}
