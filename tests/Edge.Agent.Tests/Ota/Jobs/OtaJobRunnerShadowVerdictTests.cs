using Edge.Agent.Ota.Jobs;
using Edge.Protocol.Ota;

namespace Edge.Agent.Tests.Ota.Jobs;

/// <summary>The shadow's promotion rule: enough samples, enough agreement, a p95 within the bound; every broken rule named.</summary>
public sealed class OtaJobRunnerShadowVerdictTests
{
    private static readonly OtaShadowRequest Request = new() { MinSamples = 100, MinAgreement = 0.98, MaxLatencyRatio = 1.5, TimeoutSeconds = 60 };

    private static OtaShadowFigures Passing => new()
    {
        Task = "classification",
        Samples = 100,
        Agreements = 99,
        Agreement = 0.99,
        CandidateP95Ms = 3,
        ServingP95Ms = 2.5,
        LatencyRatio = 1.2,
        LiveCalls = 1000,
        Sampled = 100,
    };

    [Fact]
    public void Verdict_AllWithinBounds_Promotes() => Assert.Null(OtaJobRunner.Verdict(Passing, Request));

    [Fact]
    public void Verdict_SlowCandidate_RejectedWithBothP95s() =>
        Assert.Equal(
            "shadow: candidate p95 4.000 ms > 1.5 × served p95 2.500 ms (1.60×)",
            OtaJobRunner.Verdict(Passing with { CandidateP95Ms = 4, LatencyRatio = 1.6 }, Request));

    [Fact]
    public void Verdict_TooFewSamplesAndLowAgreement_ListsBothAndTheWorstSamples()
    {
        var figures = Passing with
        {
            Samples = 40,
            Agreements = 30,
            Agreement = 0.75,
            CandidateErrors = 2,
            Sampled = 90,
            Dropped = 50,
            WorstExamples = [new OtaShadowExample { Index = 7, Score = 0, Detail = "candidate threw X: boom" }],
        };

        Assert.Equal(
            "shadow: only 40 of 100 samples within 60 s (1000 live calls, 50 of 90 sampled dropped on a full queue); "
            + "agreement 0.7500 < 0.98 (30 of 40 classification samples, 2 candidate errors); worst samples: #7 (candidate threw X: boom)",
            OtaJobRunner.Verdict(figures, Request));
    }
}
