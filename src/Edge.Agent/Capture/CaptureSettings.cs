namespace Edge.Agent.Capture;

/// <summary>
/// The capture settings in force: the <c>Capture</c> section, overridden by the fleet's last <c>capture-config</c>
/// (kept in <c>settings.json</c>; a file saved before raw frames existed reads as <paramref name="RawFrames"/> false).
/// </summary>
internal sealed record CaptureSettings(bool Enabled, double SampleFraction, int MaxSamples, long MaxBytes, bool RawFrames = false)
{
    public const int MaxSamplesLimit = 1_000_000;
    public const long MinBytes = 4096;

    public static CaptureSettings From(CaptureOptions options) => new(options.Enabled, options.SampleFraction, options.MaxSamples, options.MaxBytes, options.RawFrames);

    /// <summary>Every problem of the given values, each naming the setting with <paramref name="prefix"/>.</summary>
    public static List<string> Errors(double sampleFraction, long maxSamples, long maxBytes, string prefix)
    {
        var errors = new List<string>();
        if (!double.IsFinite(sampleFraction) || sampleFraction is <= 0 or > 1)
        {
            errors.Add($"{prefix}SampleFraction must be above 0 and at most 1 (0.01 keeps one call in 100); got {sampleFraction}.");
        }

        if (maxSamples is < 1 or > MaxSamplesLimit)
        {
            errors.Add($"{prefix}MaxSamples must be between 1 and {MaxSamplesLimit}; got {maxSamples}.");
        }

        if (maxBytes < MinBytes)
        {
            errors.Add($"{prefix}MaxBytes must be at least {MinBytes} bytes; got {maxBytes}.");
        }

        return errors;
    }
}
