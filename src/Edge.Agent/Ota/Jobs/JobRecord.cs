namespace Edge.Agent.Ota.Jobs;

/// <summary>What the agent remembers about one job across restarts (<c>{data}/jobs/{jobId}.json</c>).</summary>
internal sealed record JobRecord
{
    public required OtaJobDocument Job { get; init; }

    /// <summary>The last state reported (<see cref="OtaJobStates"/>).</summary>
    public required string State { get; init; }

    public string? Reason { get; init; }

    public string? Phase { get; init; }

    /// <summary>Order of arrival, for the queue.</summary>
    public long Sequence { get; init; }

    public DateTimeOffset ReceivedUtc { get; init; }

    /// <summary>How often the agent restarted while this job was running.</summary>
    public int Restarts { get; init; }

    /// <summary>Version active when the job started.</summary>
    public string? FromVersion { get; init; }

    /// <summary>The current model's p95 on the gate's inputs, kept for the watch window after a restart.</summary>
    public double? BaselineP95Ms { get; init; }

    /// <summary>A bench job's measurement, kept so a restart sends the same outcome again.</summary>
    public OtaBenchResult? Bench { get; init; }

    /// <summary>A shadowed job's counts so far, journaled at every progress report so a restart resumes them.</summary>
    public Shadow.ShadowProgress? Shadow { get; init; }

    /// <summary>
    /// The terminal report reached the broker. Until it has, a restart sends it again: the reporter's queue is in
    /// memory, and a kill between journaling the outcome and publishing it would leave the fleet waiting for ever.
    /// </summary>
    public bool OutcomeDelivered { get; init; }

    public bool IsTerminal => OtaJobStates.IsTerminal(State);
}
