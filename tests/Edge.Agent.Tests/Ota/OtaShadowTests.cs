using System.Text.Json;
using Edge.Agent.Ota;
using Edge.Agent.Ota.Shadow;
using Edge.Agent.Tests.Ota.Support;
using Edge.Agent.Tests.Support;
using Edge.Protocol.Ota;
using Microsoft.Extensions.DependencyInjection;

namespace Edge.Agent.Tests.Ota;

/// <summary>
/// Shadow evaluation end to end against a real Mosquitto, with real packages and ONNX Runtime: the staged candidate
/// runs beside the served model on sampled live calls and is promoted or rejected on its figures, while the app's
/// calls never fail. The latency bound is set loose here (a 2-core shared machine): latency is the benchmark's
/// business (bench/run.sh shadow-cost); these tests decide on agreement and sample counts.
/// </summary>
[Collection(OtaSerialGroup.Name)]
public sealed class OtaShadowTests : IAsyncLifetime
{
    private static readonly OtaShadowRequest Request = new() { SampleFraction = 0.5, MinSamples = 40, MinAgreement = 0.98, MaxLatencyRatio = 1000, TimeoutSeconds = 120 };
    private OtaTestBed _bed = null!;
    private string _v1 = null!;

    private OtaPublisher Publisher => _bed.Publisher;

    public async Task InitializeAsync()
    {
        _bed = await OtaTestBed.StartAsync();
        _v1 = await _bed.Packages.BuildAsync("1.0.0", rounds: 2);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Shadow_AgreeingCandidate_PromotedAfterTheSamples_FiguresInProgressAndOutcome()
    {
        await using var agent = await StartAgentAsync("dev-shadow-ok");
        var model = agent.Get<ActiveModel>();
        using var traffic = new InferenceTraffic(model);
        var v2 = await _bed.Packages.BuildAsync("2.0.0", rounds: 2);

        var job = await ShadowAsync("dev-shadow-ok", v2, Request);
        var final = await Publisher.WaitTerminalAsync("dev-shadow-ok", job.JobId, TimeSpan.FromSeconds(120));
        var (calls, failures) = await traffic.StopAsync();

        Assert.True(final.State == OtaJobStates.Succeeded, OtaPublisher.Describe(final));
        var shadow = Assert.IsType<OtaShadowFigures>(final.Shadow);
        Assert.Equal("classification", shadow.Task);
        Assert.True(shadow.Samples >= Request.MinSamples, $"{shadow.Samples} samples");
        Assert.Equal((shadow.Samples, 1.0, 0L), (shadow.Agreements, shadow.Agreement!.Value, shadow.CandidateErrors));
        Assert.Empty(shadow.WorstExamples);
        Assert.True(shadow.LiveCalls >= shadow.Samples && shadow.Sampled >= shadow.Samples, $"{shadow.LiveCalls} live, {shadow.Sampled} sampled");
        Assert.True(shadow.CandidateP95Ms > 0 && shadow.ServingP95Ms > 0 && shadow.LatencyRatio > 0);
        Assert.True(shadow.EffectiveSampleRate is > 0 and <= 1, $"effective rate {shadow.EffectiveSampleRate}");

        // Order: gate, then shadow, then the switch; the shadow phase reports its figures as it goes.
        var history = Publisher.States.History.Where(r => r.JobId == job.JobId).ToList();
        var shadowIndex = history.FindIndex(r => r.Phase == "shadow");
        Assert.True(history.FindIndex(r => r.Phase == "gate") is >= 0 and var gate && gate < shadowIndex, string.Join(" | ", history.Select(r => r.State + " " + r.Phase)));
        Assert.True(shadowIndex < history.FindIndex(r => r.State == OtaJobStates.Activating));
        Assert.Contains(history, r => r.Phase == "shadow" && r.Shadow is { Samples: > 0 });
        Assert.Equal("2.0.0", model.Version);
        Assert.Equal(0, failures);
        Assert.True(calls > 0);
        Assert.Empty(model.Host!.Observers);
    }

    [Fact]
    public async Task Shadow_DisagreeingCandidate_RejectedWithFiguresAndWorstSamples_ServedModelKeepsServing()
    {
        await using var agent = await StartAgentAsync("dev-shadow-bad");
        var model = agent.Get<ActiveModel>();
        var before = OtaAgent.Infer(model);
        using var traffic = new InferenceTraffic(model);
        var negated = await _bed.Packages.BuildAsync("2.0.0", rounds: 2, negate: true);

        var job = await ShadowAsync("dev-shadow-bad", negated, Request);
        var final = await Publisher.WaitTerminalAsync("dev-shadow-bad", job.JobId, TimeSpan.FromSeconds(120));
        var (_, failures) = await traffic.StopAsync();

        Assert.Equal(OtaJobStates.RolledBack, final.State);
        Assert.StartsWith("shadow: agreement 0.0000 < 0.98", final.Reason, StringComparison.Ordinal);
        Assert.Contains("worst samples: #0 (top-1 ", final.Reason, StringComparison.Ordinal);
        var shadow = Assert.IsType<OtaShadowFigures>(final.Shadow);
        Assert.True(shadow.Samples >= Request.MinSamples);
        Assert.Equal(0, shadow.Agreements);
        Assert.Equal([0L, 1, 2, 3, 4], shadow.WorstExamples.Select(w => w.Index));
        Assert.Equal(shadow.Samples, final.Figures!["shadowSamples"]);
        Assert.Equal(0, final.Figures["shadowAgreement"]);
        Assert.DoesNotContain(Publisher.States.History, r => r.JobId == job.JobId && r.State == OtaJobStates.Activating);
        Assert.Equal("1.0.0", model.Version);
        Assert.Equal(before, OtaAgent.Infer(model));
        Assert.Equal(0, failures);
        Assert.Empty(model.Host!.Observers);
    }

    [Fact]
    public async Task Shadow_CandidateThatThrowsOnLiveInput_CountedAsDisagreement_AppNeverFails()
    {
        await using var agent = await StartAgentAsync("dev-shadow-throws");
        var model = agent.Get<ActiveModel>();
        // Live inputs with the first pixel set: the candidate passes its golden sample but throws on every one of them.
        using var traffic = new InferenceTraffic(model, firstPixel: 1);
        var trapped = await _bed.Packages.BuildAsync("2.0.0", rounds: 2, failWhenFirstPixelIsSet: true);

        var job = await ShadowAsync("dev-shadow-throws", trapped, Request);
        var final = await Publisher.WaitTerminalAsync("dev-shadow-throws", job.JobId, TimeSpan.FromSeconds(120));
        var (calls, failures) = await traffic.StopAsync();

        Assert.Equal(OtaJobStates.RolledBack, final.State);
        var shadow = Assert.IsType<OtaShadowFigures>(final.Shadow);
        Assert.True(shadow.Samples >= Request.MinSamples);
        Assert.Equal((0L, shadow.Samples), (shadow.Agreements, shadow.CandidateErrors));
        Assert.All(shadow.WorstExamples, w => Assert.StartsWith("candidate threw ", w.Detail, StringComparison.Ordinal));
        Assert.Null(shadow.CandidateP95Ms);
        Assert.Equal("1.0.0", model.Version);
        Assert.Equal(0, failures);
        Assert.True(calls > 0);
    }

    [Fact]
    public async Task Shadow_TooLittleMemoryForASecondSession_RefusedBeforeDownloadWithTheFigures()
    {
        await using var agent = await OtaAgent.StartAsync(
            _bed.Broker.Host, _bed.Broker.Port, "dev-shadow-mem", _bed.Packages, _v1, _bed.DataDirectory,
            services: s => s.AddSingleton<IAvailableMemory>(new FixedMemory(1_000)));
        var v2 = await _bed.Packages.BuildAsync("2.0.0", rounds: 2);

        var job = await ShadowAsync("dev-shadow-mem", v2, Request);
        var final = await Publisher.WaitTerminalAsync("dev-shadow-mem", job.JobId);

        Assert.Equal(OtaJobStates.Failed, final.State);
        Assert.StartsWith("not enough memory to shadow: a second session needs about ", final.Reason, StringComparison.Ordinal);
        Assert.EndsWith(", 1000 are available (MemAvailable); refused before download", final.Reason, StringComparison.Ordinal);
        Assert.Equal(1000, final.Figures!["availableBytes"]);
        Assert.Equal(job.Package.Size * 2, final.Figures["neededBytes"]);
        Assert.DoesNotContain(Publisher.States.History, r => r.JobId == job.JobId && r.State == OtaJobStates.Downloading);
        Assert.Equal("1.0.0", agent.Get<ActiveModel>().Version);
    }

    [Fact]
    public async Task Shadow_AgentRestartedWhileShadowing_ResumesTheJournaledCountsAndPromotes()
    {
        var request = Request with { MinSamples = 150 };
        var v2 = await _bed.Packages.BuildAsync("2.0.0", rounds: 2);
        OtaJobDocument job;
        await using (var first = await StartAgentAsync("dev-shadow-restart"))
        {
            var model = first.Get<ActiveModel>();
            job = await ShadowAsync("dev-shadow-restart", v2, request);
            await MqttTestClient.WaitUntilAsync(() => model.Host!.Observers.Count > 0, TimeSpan.FromSeconds(60), () => "the shadow's tap on the served host");

            // Exactly 60 calls at a fraction of 0.5: 30 sampled, far below the 150 needed, whatever the timing.
            for (var i = 0; i < 60; i++)
            {
                OtaAgent.Infer(model);
            }

            await MqttTestClient.WaitUntilAsync(
                () => Publisher.States.History.Any(r => r.JobId == job.JobId && r.Shadow is { Sampled: 30 } s && s.Samples + s.Dropped == 30),
                TimeSpan.FromSeconds(60),
                () => "the 30 sampled calls compared or dropped");
        }

        // The first sample always finds the queue empty, so at least one was compared and journaled.
        var journaled = ReadJournaledSamples(job.JobId);
        Assert.InRange(journaled, 1, 30);
        var restartedAt = TimeProvider.System.GetUtcNow();

        await using var second = await StartAgentAsync("dev-shadow-restart");
        using (new InferenceTraffic(second.Get<ActiveModel>()))
        {
            var final = await Publisher.WaitTerminalAsync("dev-shadow-restart", job.JobId, TimeSpan.FromSeconds(120));
            Assert.True(final.State == OtaJobStates.Succeeded, OtaPublisher.Describe(final));
            Assert.True(final.Shadow!.Samples >= request.MinSamples);
        }

        // Reports are stamped by the agent: those from after the restart are the second agent's. The resumed shadow
        // starts from the journaled count, not from zero.
        var resumed = Publisher.States.History.Where(r => r.JobId == job.JobId && r.Timestamp >= restartedAt && r.Phase == "shadow").ToList();
        Assert.Equal(journaled, resumed[0].Shadow!.Samples);
        Assert.All(resumed, r => Assert.True(r.Shadow!.Samples >= journaled, $"a report after the restart counts {r.Shadow.Samples}, the journal held {journaled}"));
        Assert.Equal("2.0.0", second.Get<ActiveModel>().Version);
    }

    private long ReadJournaledSamples(string jobId)
    {
        using var record = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_bed.DataDirectory, "jobs", jobId + ".json")));
        return record.RootElement.GetProperty("shadow").GetProperty("samples").GetInt64();
    }

    private Task<AgentHarness> StartAgentAsync(string device) =>
        OtaAgent.StartAsync(_bed.Broker.Host, _bed.Broker.Port, device, _bed.Packages, _v1, _bed.DataDirectory, o => o.ProgressInterval = TimeSpan.FromMilliseconds(100));

    private Task<OtaJobDocument> ShadowAsync(string device, string package, OtaShadowRequest request) =>
        Publisher.DeployAsync(device, package, OtaPublisher.FastGate(maxLatencyRatio: 3, watchSeconds: 0.3), change: job => job with { Shadow = request });
}
