namespace Edge.Protocol.Ota;

/// <summary>One shadow sample on which the candidate disagreed with the served model.</summary>
public sealed record OtaShadowExample
{
    /// <summary>The sample's index in the shadow, from 0 in the order compared (kept across agent restarts).</summary>
    public long Index { get; init; }

    /// <summary>How closely the answers matched, 0 (not at all) to 1 (the same); 0 when the candidate threw.</summary>
    public double Score { get; init; }

    /// <summary>What differed, for example <c>top-1 3 (served) vs 5 (candidate)</c>, or the candidate's exception message.</summary>
    public required string Detail { get; init; }
}
