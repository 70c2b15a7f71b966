namespace Edge.Protocol.Ota;

/// <summary>
/// What a bench job measured (<see cref="OtaBenchRequest"/>), carried by its <c>succeeded</c> state report. Both
/// models ran in one process with the device's own settings (execution provider, threads), interleaved run by run
/// on the same input, at lowered scheduling priority while the served model kept serving.
/// </summary>
public sealed record OtaBenchResult
{
    /// <summary>The device's hardware class.</summary>
    public required HardwareFacts Hardware { get; init; }

    /// <summary>The execution provider the candidate session actually ran on (after any fallback), short lowercase.</summary>
    public required string Provider { get; init; }

    /// <summary>ONNX Runtime intra-op threads of both sessions (the device's setting; 0 is ONNX Runtime's default).</summary>
    public int Threads { get; init; }

    /// <summary>The candidate: the job's package.</summary>
    public required OtaLatencyFigures Candidate { get; init; }

    /// <summary>The model the device serves, timed beside the candidate in a session of its own; null when it serves none.</summary>
    public OtaLatencyFigures? Serving { get; init; }

    /// <summary>Candidate p50 over serving p50; null without a serving model.</summary>
    public double? LatencyRatio { get; init; }

    /// <summary>Growth of the agent's resident memory from before the candidate loaded to the highest sample while it loaded and ran, in bytes.</summary>
    public long CandidatePeakMemoryBytes { get; init; }

    /// <summary>The nice value the bench thread ran at (Linux; higher is lower priority); null where it could not be set.</summary>
    public int? Nice { get; init; }

    /// <summary>Whether <see cref="OtaBenchRequest.MaxSeconds"/> ended the timed runs before <see cref="OtaBenchRequest.Runs"/>.</summary>
    public bool Truncated { get; init; }

    /// <summary>The app's calls to the served model while the job downloaded and verified (before the bench), and their p95; null p95 when none.</summary>
    public OtaLiveFigures? LiveBefore { get; init; }

    /// <summary>The app's calls to the served model during the bench, and their p95: the bench's effect on live traffic.</summary>
    public OtaLiveFigures? LiveDuring { get; init; }
}
