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

    public bool IsTerminal => OtaJobStates.IsTerminal(State);
}
