using Edge.Agent.Ota.Shadow;
using Edge.Protocol.Ota;

namespace Edge.Agent.Tests.Ota.Shadow;

/// <summary>The shadow's running counts on top of journaled ones, and the figures reported for them.</summary>
public sealed class ShadowTallyTests
{
    [Fact]
    public void Snapshot_ResumedCounts_AddUp_WorstKeptLowestScoreFirstAndIndexedAcrossTheRestart()
    {
        var resumed = new ShadowProgress
        {
            Task = "classification",
            Samples = 10,
            Agreements = 9,
            LiveCalls = 100,
            Sampled = 12,
            Dropped = 2,
            ElapsedSeconds = 5,
            CandidateMs = [1, 2],
            ServingMs = [1],
            Worst = [new OtaShadowExample { Index = 3, Score = 0.4, Detail = "before" }],
        };
        var tally = new ShadowTally(resumed);

        tally.Record(new ShadowVerdict(true, 1, null), 3, candidateThrew: false);
        tally.Record(new ShadowVerdict(false, 0, "threw"), null, candidateThrew: true);
        for (var i = 0; i < 6; i++)
        {
            tally.Record(new ShadowVerdict(false, 0.5 + (i / 100.0), $"d{i}"), 4, candidateThrew: false);
        }

        var progress = tally.Snapshot(liveCalls: 50, servingMs: [2, 2], sampled: 20, dropped: 1, elapsedSeconds: 2.5);
        Assert.Equal((18L, 10L, 1L, 150L, 32L, 3L, 7.5), (progress.Samples, progress.Agreements, progress.CandidateErrors, progress.LiveCalls, progress.Sampled, progress.Dropped, progress.ElapsedSeconds));
        Assert.Equal([11L, 3, 12, 13, 14], progress.Worst.Select(w => w.Index));
        Assert.Equal("threw", progress.Worst[0].Detail);

        var figures = progress.ToFigures();
        Assert.Equal(Math.Round(10.0 / 18, 6), figures.Agreement);
        Assert.Equal(4, figures.CandidateP95Ms);
        Assert.Equal(2, figures.ServingP95Ms);
        Assert.Equal(2, figures.LatencyRatio);
        Assert.Equal(Math.Round(29.0 / 150, 6), figures.EffectiveSampleRate);
    }

    [Fact]
    public void Snapshot_KeepsTheMostRecentDurations()
    {
        var tally = new ShadowTally(new ShadowProgress { Task = "raw", CandidateMs = [.. Enumerable.Repeat(9.0, ShadowProgress.MaxKeptDurations)] });
        tally.Record(new ShadowVerdict(true, 1, null), 1, candidateThrew: false);

        var progress = tally.Snapshot(0, [], 0, 0, 0);
        Assert.Equal(ShadowProgress.MaxKeptDurations, progress.CandidateMs.Count);
        Assert.Equal(1, progress.CandidateMs[^1]);
        Assert.Null(progress.ToFigures().EffectiveSampleRate);
    }
}
