namespace Edge.Agent.Ota.Shadow;

/// <summary>Raw-tensor comparison: largest absolute difference over the served output's largest magnitude, at most the tolerance.</summary>
internal sealed class RawComparer(double tolerance) : ShadowComparer
{
    public override string Task => Raw;

    protected override ShadowVerdict CompareSameLength(ReadOnlySpan<float> served, ReadOnlySpan<float> candidate)
    {
        double largest = 0;
        double difference = 0;
        for (var i = 0; i < served.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs((double)served[i]));
            var d = Math.Abs((double)served[i] - candidate[i]);
            difference = double.IsNaN(d) ? double.PositiveInfinity : Math.Max(difference, d);
        }

        var relative = difference / Math.Max(largest, 1e-12);
        return relative <= tolerance
            ? new ShadowVerdict(true, 1 - relative, null)
            : new ShadowVerdict(false, Math.Max(0, 1 - relative), $"relative error {Format(relative)} > {Format(tolerance)}");
    }
}
