using Edge.Agent.Drift;

namespace Edge.Agent.Tests.Drift;

public sealed class DriftOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var result = new DriftOptionsValidator().Validate(null, new EdgeAgentOptions());

        Assert.True(result.Succeeded, string.Join("; ", result.Failures ?? []));
        Assert.Equal((true, 0.1, 500, 64), (new DriftOptions().Enabled, new DriftOptions().SampleFraction, new DriftOptions().WindowSamples, new DriftOptions().QueueCapacity));
    }

    [Fact]
    public void Validate_EverySettingOutOfRange_ListsEachError()
    {
        var options = new EdgeAgentOptions { Drift = new DriftOptions { SampleFraction = 1.5, WindowSamples = 5, QueueCapacity = 0 } };

        var result = new DriftOptionsValidator().Validate(null, options);

        Assert.Equal(
            [
                "Drift:SampleFraction must be above 0 and at most 1; got 1.5.",
                "Drift:WindowSamples must be 10 to 10000; got 5.",
                "Drift:QueueCapacity must be 1 to 10000; got 0.",
            ],
            result.Failures);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(-0.1)]
    public void Validate_FractionNotAboveZero_Fails(double fraction)
    {
        var result = new DriftOptionsValidator().Validate(null, new EdgeAgentOptions { Drift = new DriftOptions { SampleFraction = fraction } });

        Assert.Contains(result.Failures!, f => f.StartsWith("Drift:SampleFraction must be above 0", StringComparison.Ordinal));
    }
}
