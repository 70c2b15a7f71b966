namespace Edge.Fleet.Serving;

/// <summary>What one serve instance has done since it started; safe to read from any thread.</summary>
internal sealed class ServeStatistics
{
    private long _telemetryMessages;
    private long _telemetryRows;
    private long _statuses;
    private long _malformed;
    private long _batches;
    private long _unacknowledged;

    /// <summary>Telemetry messages stored (or found to be already stored) and acknowledged.</summary>
    public long TelemetryMessages => Interlocked.Read(ref _telemetryMessages);

    /// <summary>Telemetry rows this instance inserted; rows another instance (or an earlier delivery) stored are not counted.</summary>
    public long TelemetryRows => Interlocked.Read(ref _telemetryRows);

    /// <summary>Status messages saved to the inventory.</summary>
    public long Statuses => Interlocked.Read(ref _statuses);

    /// <summary>Messages (telemetry or status) that could not be parsed, in whole or in part.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Transactions committed.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Stored messages whose acknowledgement could not be sent (the link was gone); the broker redelivers them.</summary>
    public long Unacknowledged => Interlocked.Read(ref _unacknowledged);

    public void AddBatch(long telemetryMessages, long telemetryRows, long statuses, long malformed)
    {
        Interlocked.Add(ref _telemetryMessages, telemetryMessages);
        Interlocked.Add(ref _telemetryRows, telemetryRows);
        Interlocked.Add(ref _statuses, statuses);
        Interlocked.Add(ref _malformed, malformed);
        Interlocked.Increment(ref _batches);
    }

    public void AddUnacknowledged() => Interlocked.Increment(ref _unacknowledged);

    public override string ToString() =>
        $"{TelemetryRows} telemetry rows from {TelemetryMessages} messages, {Statuses} statuses, {Malformed} malformed, {Batches} batches, {Unacknowledged} acknowledgements lost";
}
