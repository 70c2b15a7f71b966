using Microsoft.Extensions.Options;

namespace Edge.Agent.Capture;

/// <summary>Checks the <c>Capture</c> section, listing every problem at once (also when capture is off: the fleet may switch it on).</summary>
internal sealed class CaptureOptionsValidator : IValidateOptions<EdgeAgentOptions>
{
    /// <summary>The largest raw frame a sample may keep, leaving room for the tensors in a snapshot record (at most 256 MiB).</summary>
    public const int MaxRawFrameBytesLimit = 64 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, EdgeAgentOptions options)
    {
        var capture = options.Capture;
        var errors = CaptureSettings.Errors(capture.SampleFraction, capture.MaxSamples, capture.MaxBytes, "Capture:");
        if (capture.QueueCapacity is < 1 or > 10_000)
        {
            errors.Add($"Capture:QueueCapacity must be between 1 and 10000; got {capture.QueueCapacity}.");
        }

        if (capture.MaxRawFrameBytes is < 1 or > MaxRawFrameBytesLimit)
        {
            errors.Add($"Capture:MaxRawFrameBytes must be between 1 and {MaxRawFrameBytesLimit} (64 MiB); got {capture.MaxRawFrameBytes}.");
        }

        if (capture.Directory is { } directory && (directory.Trim().Length == 0 || !Path.IsPathRooted(directory)))
        {
            errors.Add($"Capture:Directory must be an absolute folder path when set; got '{directory}'.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
