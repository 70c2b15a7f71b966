using System.Globalization;

namespace Edge.Agent.Ota.Health;

/// <summary>
/// The watch window's rule, kept apart from the loop that samples it so every branch can be tested with exact figures:
/// nothing is judged before <see cref="OtaHealthGate.MinWatchCalls"/> live calls, then the live error rate and the
/// live p95 (against the previous model's live p95, when one was measured before the switch) must stay within the gate.
/// </summary>
internal static class WatchWindowVerdict
{
    /// <summary>Returns why the new model must be rolled back, or null while it is within the gate.</summary>
    public static string? Breach(long calls, long errors, double p95Ms, double? baselineP95Ms, OtaHealthGate gate)
    {
        if (calls < gate.MinWatchCalls)
        {
            return null;
        }

        var errorRate = (double)errors / calls;
        if (errorRate > gate.MaxErrorRate)
        {
            return string.Create(CultureInfo.InvariantCulture, $"watch window: live error rate {errorRate:P2} ({errors} of {calls} calls) > {gate.MaxErrorRate:P2}");
        }

        if (baselineP95Ms is { } previous && p95Ms > gate.MaxLiveLatencyRatio * previous)
        {
            return string.Create(CultureInfo.InvariantCulture, $"watch window: live p95 {p95Ms:F3} ms > {gate.MaxLiveLatencyRatio} × previous p95 {previous:F3} ms");
        }

        return null;
    }
}
