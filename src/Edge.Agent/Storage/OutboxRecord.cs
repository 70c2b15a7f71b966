namespace Edge.Agent.Storage;

/// <summary>A queued record. <see cref="Sequence"/> increases monotonically per device, across restarts, so receivers can de-duplicate.</summary>
internal sealed record OutboxRecord(long Sequence, long EnqueuedUnixMilliseconds, byte[] Payload);
