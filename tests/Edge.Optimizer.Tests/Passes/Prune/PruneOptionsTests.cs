using Edge.Optimizer.Passes.Prune;

namespace Edge.Optimizer.Tests.Passes.Prune;

public sealed class PruneOptionsTests
{
    [Fact]
    public void Errors_ManyBadValues_ListsEveryProblemAtOnce()
    {
        var options = new PruneOptions
        {
            Method = PruneMethod.Channel,
            Sparsity = 1.5,
            MinChannels = 0,
            ChannelMultiple = 0,
            Sensitivity = true,
            MaxAccuracyDrop = -1,
            SensitivityRatios = [0.5, 1.0],
            LatencyRuns = 0,
        };

        var errors = new PrunePass().Validate(options);

        Assert.Equal(7, errors.Count);
        Assert.Contains(errors, e => e.Contains("--sparsity must be in [0, 1), but was 1.5", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("--min-channels must be at least 1, but was 0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("--sensitivity needs --eval", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("were [0.5, 1]", StringComparison.Ordinal));
    }

    [Fact]
    public void Errors_SemiStructuredWithOtherSparsity_ExplainsTheFixedRatio()
    {
        var errors = new PruneOptions { Method = PruneMethod.SemiStructured, Sparsity = 0.3 }.Validate();
        Assert.Equal("--method 2:4 always removes half the weights; --sparsity must be omitted or 0.5, but was 0.3.", Assert.Single(errors));
    }

    [Fact]
    public void Errors_MagnitudeWithoutSparsity_AsksForIt()
    {
        Assert.Equal("--sparsity is required for --method magnitude.", Assert.Single(new PruneOptions().Validate()));
    }

    [Fact]
    public void ToJson_RoundTripsNamesUsedOnTheCommandLine()
    {
        var json = new PruneOptions { Method = PruneMethod.SemiStructured, Criterion = PruneCriterion.BnGamma, Scope = PruneScope.Global }.ToJson();
        Assert.Equal(PruneMethod.SemiStructured, PruneOptions.ParseMethod((string)json["method"]!));
        Assert.Equal(PruneCriterion.BnGamma, PruneOptions.ParseCriterion((string)json["criterion"]!));
        Assert.Equal(PruneScope.Global, PruneOptions.ParseScope((string)json["scope"]!));
    }

    [Theory]
    [InlineData("magnitude", "global")]
    [InlineData("channel", "layer")]
    [InlineData("2:4", "layer")]
    public void EffectiveScope_NoScopeGiven_IsGlobalForMagnitudeAndLayerOtherwise(string methodName, string expectedName)
    {
        var method = PruneOptions.ParseMethod(methodName);
        var expected = PruneOptions.ParseScope(expectedName);
        var options = new PruneOptions { Method = method };
        Assert.Equal(expected, options.EffectiveScope);
        Assert.Null(options.ToJson()["scope"]);
        Assert.Equal(expected, Edge.Optimizer.Pipeline.PassOptionsJson<PruneOptions>.FromJson(options.ToJson()).EffectiveScope);
        Assert.Equal(PruneScope.Layer, new PruneOptions { Method = method, Scope = PruneScope.Layer }.EffectiveScope);
    }

    [Fact]
    public void Errors_ActivationCriterionWithoutCalibration_AsksForData()
    {
        var errors = new PruneOptions { Method = PruneMethod.Channel, Sparsity = 0.3, Criterion = PruneOptions.ParseCriterion("activation") }.Validate();
        Assert.Equal("--criterion activation measures channels on data; give it --calibration <dataset>.", Assert.Single(errors));
    }

    [Fact]
    public void Errors_CalibrationWithMagnitude_SaysOnlyChannelPruningReadsIt()
    {
        var errors = new PruneOptions { Method = PruneMethod.Magnitude, Sparsity = 0.3, CalibrationDataset = "mnist:x@0:10" }.Validate();
        Assert.Equal("--calibration is used by --method channel (bias compensation); --method magnitude does not read it.", Assert.Single(errors));
    }
}
