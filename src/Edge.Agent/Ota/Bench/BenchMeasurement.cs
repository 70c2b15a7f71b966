using Edge.Protocol.Ota;

namespace Edge.Agent.Ota.Bench;

/// <summary>What <see cref="CandidateBench.RunAsync"/> measured.</summary>
internal sealed record BenchMeasurement(
    OtaLatencyFigures Candidate,
    OtaLatencyFigures? Serving,
    string Provider,
    long CandidatePeakMemoryBytes,
    int? Nice,
    bool Truncated);
