namespace Edge.Agent.Mqtt;

/// <summary>
/// Exponential backoff with jitter: attempt n waits a random time in [d/2, d] where d = min(max, min * 2^n).
/// The jitter keeps a fleet that lost its broker together from reconnecting in lockstep.
/// </summary>
internal sealed class ReconnectBackoff
{
    private readonly TimeSpan _minimum;
    private readonly TimeSpan _maximum;
    private readonly Random _random;

    public ReconnectBackoff(TimeSpan minimum, TimeSpan maximum, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(minimum, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximum, minimum);
        _minimum = minimum;
        _maximum = maximum;
        _random = random;
    }

    /// <summary>Delay before reconnect attempt <paramref name="attempt"/> (0 for the first retry).</summary>
    public TimeSpan DelayFor(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var ceiling = _minimum.Ticks * Math.Pow(2, Math.Min(attempt, 40));
        var capped = Math.Min(ceiling, _maximum.Ticks);
        var jittered = capped * (0.5 + (0.5 * _random.NextDouble()));
        return TimeSpan.FromTicks((long)jittered);
    }
}
