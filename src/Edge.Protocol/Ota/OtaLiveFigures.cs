namespace Edge.Protocol.Ota;

/// <summary>The served model's live calls over a stretch of time, as the SDK's metrics saw them.</summary>
public sealed record OtaLiveFigures
{
    /// <summary>Calls the app made.</summary>
    public long Calls { get; init; }

    /// <summary>Nearest-rank p95 of their durations in ms; null when there were none.</summary>
    public double? P95Ms { get; init; }
}
