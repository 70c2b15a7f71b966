namespace Edge.Protocol;

/// <summary>Store-and-forward queue state: records waiting, their bytes, and records dropped because it was full.</summary>
/// <param name="Pending">Records waiting to be sent, 0 or more.</param>
/// <param name="PendingBytes">Their payload size in bytes.</param>
/// <param name="DroppedTotal">Records dropped (oldest first) because the outbox was full, since the outbox was created.</param>
public sealed record OutboxFigures(long Pending, long PendingBytes, long DroppedTotal);
