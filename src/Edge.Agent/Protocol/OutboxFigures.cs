namespace Edge.Agent.Protocol;

/// <summary>Store-and-forward queue state: records waiting, their bytes, and records dropped because it was full.</summary>
internal sealed record OutboxFigures(long Pending, long PendingBytes, long DroppedTotal);
