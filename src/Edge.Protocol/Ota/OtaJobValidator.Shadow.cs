namespace Edge.Protocol.Ota;

/// <summary>Checks of a job's <c>shadow</c> section.</summary>
public static partial class OtaJobValidator
{
    /// <summary>Lists every problem of a job's <c>shadow</c> section, named as in the job document (<c>shadow.sampleFraction</c>, …).</summary>
    public static IReadOnlyList<string> Validate(OtaShadowRequest shadow)
    {
        ArgumentNullException.ThrowIfNull(shadow);
        var errors = new List<string>();
        if (!(shadow.SampleFraction is > 0 and <= 1))
        {
            errors.Add($"shadow.sampleFraction is {shadow.SampleFraction}, expected more than 0 and at most 1");
        }

        if (shadow.MinSamples is < OtaShadowRequest.MinSamplesLimit or > OtaShadowRequest.MaxSamplesLimit)
        {
            errors.Add($"shadow.minSamples is {shadow.MinSamples}, expected {OtaShadowRequest.MinSamplesLimit} to {OtaShadowRequest.MaxSamplesLimit}");
        }

        if (!(shadow.MinAgreement is >= 0 and <= 1))
        {
            errors.Add($"shadow.minAgreement is {shadow.MinAgreement}, expected 0 to 1");
        }

        if (!(shadow.MaxLatencyRatio >= 1) || double.IsInfinity(shadow.MaxLatencyRatio))
        {
            errors.Add($"shadow.maxLatencyRatio is {shadow.MaxLatencyRatio}, expected a finite number of at least 1");
        }

        if (!(shadow.TimeoutSeconds is >= 1 and <= OtaShadowRequest.MaxTimeoutSeconds))
        {
            errors.Add($"shadow.timeoutSeconds is {shadow.TimeoutSeconds}, expected 1 to {OtaShadowRequest.MaxTimeoutSeconds}");
        }

        if (!(shadow.RelativeErrorTolerance is > 0 and < 1))
        {
            errors.Add($"shadow.relativeErrorTolerance is {shadow.RelativeErrorTolerance}, expected more than 0 and less than 1");
        }

        return errors;
    }
}
