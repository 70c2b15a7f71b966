namespace Edge.Protocol.Ota;

/// <summary>Latency of one model in a bench, in milliseconds over the timed runs.</summary>
public sealed record OtaLatencyFigures
{
    /// <summary>The model's name and version.</summary>
    public required ModelFact Model { get; init; }

    /// <summary>Timed runs.</summary>
    public int Runs { get; init; }

    /// <summary>Median run time.</summary>
    public double P50Ms { get; init; }

    /// <summary>Nearest-rank 95th percentile run time.</summary>
    public double P95Ms { get; init; }

    /// <summary>Mean run time.</summary>
    public double MeanMs { get; init; }
}
