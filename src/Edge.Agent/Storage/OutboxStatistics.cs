using Edge.Agent.Protocol;

namespace Edge.Agent.Storage;

/// <summary>Outbox counters readable from any thread without touching the database.</summary>
internal sealed class OutboxStatistics
{
    private long _pending;
    private long _pendingBytes;
    private long _droppedTotal;

    public long Pending => Interlocked.Read(ref _pending);

    public long PendingBytes => Interlocked.Read(ref _pendingBytes);

    /// <summary>Records dropped because the outbox was full, since the database was created (persisted).</summary>
    public long DroppedTotal => Interlocked.Read(ref _droppedTotal);

    public OutboxFigures Snapshot() => new(Pending, PendingBytes, DroppedTotal);

    internal void Set(long pending, long pendingBytes, long droppedTotal)
    {
        Interlocked.Exchange(ref _pending, pending);
        Interlocked.Exchange(ref _pendingBytes, pendingBytes);
        Interlocked.Exchange(ref _droppedTotal, droppedTotal);
    }
}
