using Edge.Agent.Capture;

namespace Edge.Agent.Tests.Capture;

public sealed class CaptureOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var result = new CaptureOptionsValidator().Validate(null, new EdgeAgentOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.False(new CaptureOptions().Enabled);
    }

    [Fact]
    public void Validate_EveryBadValue_ListsEachOne()
    {
        var options = new EdgeAgentOptions
        {
            Capture = new CaptureOptions { SampleFraction = 1.5, MaxSamples = 0, MaxBytes = 100, QueueCapacity = 0, MaxRawFrameBytes = 0, Directory = "relative/capture" },
        };

        var result = new CaptureOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(6, failures.Count);
        Assert.Contains("Capture:SampleFraction must be above 0 and at most 1 (0.01 keeps one call in 100); got 1.5.", failures);
        Assert.Contains("Capture:MaxSamples must be between 1 and 1000000; got 0.", failures);
        Assert.Contains("Capture:MaxBytes must be at least 4096 bytes; got 100.", failures);
        Assert.Contains("Capture:QueueCapacity must be between 1 and 10000; got 0.", failures);
        Assert.Contains("Capture:MaxRawFrameBytes must be between 1 and 67108864 (64 MiB); got 0.", failures);
        Assert.Contains("Capture:Directory must be an absolute folder path when set; got 'relative/capture'.", failures);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Validate_FractionNotAboveZero_Fails(double fraction)
    {
        var result = new CaptureOptionsValidator().Validate(null, new EdgeAgentOptions { Capture = new CaptureOptions { SampleFraction = fraction } });

        Assert.Contains(result.Failures!, f => f.StartsWith("Capture:SampleFraction", StringComparison.Ordinal));
    }
}
