using Edge.Protocol.Ota;

namespace Edge.Agent.Tests.Ota.Protocol;

public class OtaJobValidatorTests
{
    private static OtaJobDocument Valid => new()
    {
        JobId = "job-1",
        Package = new OtaPackageInfo { Name = "mnist", Version = "2.0.0-rc.1", Size = 1000, Sha256 = new string('0', 64) },
    };

    [Fact]
    public void Validate_ValidJob_NoErrors() => Assert.Empty(OtaJobValidator.Validate(Valid));

    [Fact]
    public void Validate_EveryRuleBroken_ListsEveryError()
    {
        var job = Valid with
        {
            JobId = "job/1",
            Transfer = new OtaTransfer { Method = OtaTransferMethods.Http, Url = "ftp://x", ChunkSize = 100 },
            HealthGate = new OtaHealthGate { MaxLatencyRatio = 0.5, LatencyRuns = 1, MaxErrorRate = 2 },
        };

        var errors = OtaJobValidator.Validate(job);

        Assert.Equal(6, errors.Count);
        Assert.Contains("jobId 'job/1' must be 1-64 letters, digits, '-', '_' or '.'", errors);
        Assert.Contains("transfer.chunkSize is 100, expected 4096 to 4194304 bytes", errors);
        Assert.Contains("healthGate.maxErrorRate is 2, expected 0 to 1", errors);
    }

    [Theory]
    [InlineData(0, 4096, "package.size is 0, expected 1 to 4096 bytes (the most this device accepts)")]
    [InlineData(4097, 4096, "package.size is 4097, expected 1 to 4096 bytes (the most this device accepts)")]
    [InlineData(long.MaxValue, OtaJobValidator.MaxPackageBytesLimit, "package.size is 9223372036854775807, expected 1 to 1099511627776 bytes (the most this device accepts)")]
    public void Validate_PackageSizeOutsideTheBound_NamesSizeAndBound(long size, long maximum, string expected)
    {
        var errors = OtaJobValidator.Validate(Valid with { Package = Valid.Package with { Size = size } }, maximum);

        Assert.Equal([expected], errors);
    }

    [Fact]
    public void Validate_PackageSizeAtTheBound_NoErrors() =>
        Assert.Empty(OtaJobValidator.Validate(Valid with { Package = Valid.Package with { Size = 4096 } }, 4096));

    [Fact]
    public void Validate_BenchOutOfRange_ListsEveryBenchError()
    {
        var errors = OtaJobValidator.Validate(Valid with { Bench = new OtaBenchRequest { Runs = 4, WarmupRuns = -1, MaxSeconds = double.NaN } });

        Assert.Equal(
            ["bench.runs is 4, expected 5 to 10000", "bench.warmupRuns is -1, expected 0 to 1000", "bench.maxSeconds is NaN, expected 1 to 3600"],
            errors);
    }

    [Fact]
    public void Validate_DefaultBench_NoErrors() => Assert.Empty(OtaJobValidator.Validate(Valid with { Bench = new OtaBenchRequest() }));

    [Fact]
    public void Validate_ShadowWithinBounds_NoErrors() =>
        Assert.Empty(OtaJobValidator.Validate(Valid with { Shadow = new OtaShadowRequest { SampleFraction = 1, MinSamples = 1, MinAgreement = 0 } }));

    [Fact]
    public void Validate_ShadowEveryRuleBroken_ListsEveryError()
    {
        var job = Valid with
        {
            Bench = new OtaBenchRequest(),
            Shadow = new OtaShadowRequest { SampleFraction = 0, MinSamples = 0, MinAgreement = 1.5, MaxLatencyRatio = 0.5, TimeoutSeconds = 0.5, RelativeErrorTolerance = 0 },
        };

        Assert.Equal(
            [
                "shadow.sampleFraction is 0, expected more than 0 and at most 1",
                "shadow.minSamples is 0, expected 1 to 1000000",
                "shadow.minAgreement is 1.5, expected 0 to 1",
                "shadow.maxLatencyRatio is 0.5, expected a finite number of at least 1",
                "shadow.timeoutSeconds is 0.5, expected 1 to 604800",
                "shadow.relativeErrorTolerance is 0, expected more than 0 and less than 1",
                "bench and shadow are both set; a bench installs nothing, so it cannot shadow",
            ],
            OtaJobValidator.Validate(job));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(1.0000001)]
    [InlineData(-0.1)]
    public void Validate_ShadowSampleFractionOutside0To1_Refused(double fraction) =>
        Assert.Single(OtaJobValidator.Validate(Valid with { Shadow = new OtaShadowRequest { SampleFraction = fraction } }));
}
