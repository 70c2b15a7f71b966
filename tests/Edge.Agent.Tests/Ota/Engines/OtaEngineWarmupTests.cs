using Edge.Agent.Ota;
using Edge.Agent.Ota.Engines;
using Edge.Agent.Ota.Jobs;
using Edge.Agent.Tests.Ota.Support;
using Edge.Agent.Tests.Support;
using Edge.Protocol.Ota;
using Microsoft.Extensions.DependencyInjection;

namespace Edge.Agent.Tests.Ota.Engines;

/// <summary>
/// Engine warm-up before the switch (issue 20 B), end to end against a real Mosquitto with real packages and the real
/// gate on the CPU. The TensorRT build itself is the one part played by <see cref="RecordingEngineWarmer"/>.
/// </summary>
[Collection(OtaSerialGroup.Name)]
public sealed class OtaEngineWarmupTests : IAsyncLifetime
{
    private OtaTestBed _bed = null!;
    private string _v1 = null!;

    private OtaPublisher Publisher => _bed.Publisher;

    public async Task InitializeAsync()
    {
        _bed = await OtaTestBed.StartAsync();
        _v1 = await _bed.Packages.BuildAsync("1.0.0", rounds: 0);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Deploy_EngineBuildingProvider_WarmsStagedSlotBeforeSwitchAndReportsBuildTime()
    {
        var warmer = new RecordingEngineWarmer { BuildTime = TimeSpan.FromMilliseconds(400) };
        await using var agent = await StartAgentAsync("dev-warm", warmer);
        var model = agent.Get<ActiveModel>();
        warmer.ServedVersion = () => model.Version;

        var job = await Publisher.DeployAsync("dev-warm", await _bed.Packages.BuildAsync("2.0.0", rounds: 0));
        var final = await Publisher.WaitTerminalAsync("dev-warm", job.JobId);

        Assert.True(final.State == OtaJobStates.Succeeded, OtaPublisher.Describe(final));
        var slots = agent.Get<OtaRuntime>().Slots;
        var pointer = await slots.ReadPointerAsync(CancellationToken.None);
        var call = Assert.Single(warmer.Calls);
        Assert.Equal(slots.EngineCachePath(pointer!.Active.Slot), call.CacheDirectory);
        Assert.StartsWith(slots.SlotPath(pointer.Active.Slot) + Path.DirectorySeparatorChar, call.ModelPath, StringComparison.Ordinal);
        Assert.Equal("1.0.0", call.ServedVersion); // built while the old model served, before the switch
        Assert.True(File.Exists(Path.Combine(call.CacheDirectory!, RecordingEngineWarmer.EngineFile)), "the built engine is gone after the switch");

        // Reports: engine, then the gate carrying the build time, then the switch.
        var reports = Publisher.States.History.Where(r => r.JobId == job.JobId).ToList();
        var engine = reports.FindIndex(r => r.State == OtaJobStates.HealthChecking && r.Phase == Phases.Engine);
        var gate = reports.FindIndex(r => r.State == OtaJobStates.HealthChecking && r.Phase == Phases.Gate);
        var activating = reports.FindIndex(r => r.State == OtaJobStates.Activating);
        Assert.True(engine >= 0 && engine < gate && gate < activating, string.Join(" | ", reports.Select(r => $"{r.State}/{r.Phase}")));
        Assert.Equal("1.0.0", reports[engine].ActiveVersion);
        var buildMs = reports[gate].Figures![OtaJobRunner.EngineBuildFigure];
        Assert.InRange(buildMs, 400, 60_000);
        Assert.Equal("2.0.0", model.Version);
    }

    [Fact]
    public async Task Deploy_EngineBuildFails_RejectsJobWithReasonAndOldModelKeepsServing()
    {
        var warmer = new RecordingEngineWarmer { FailNextWith = "out of GPU memory while building layer 7 (test)" };
        await using var agent = await StartAgentAsync("dev-warm-fail", warmer);
        var model = agent.Get<ActiveModel>();
        var before = OtaAgent.Infer(model);

        var job = await Publisher.DeployAsync("dev-warm-fail", await _bed.Packages.BuildAsync("2.0.0", rounds: 0));
        var final = await Publisher.WaitTerminalAsync("dev-warm-fail", job.JobId);

        Assert.True(final.State == OtaJobStates.RolledBack, OtaPublisher.Describe(final));
        Assert.StartsWith("engine build: cpu could not build the engine for ", final.Reason, StringComparison.Ordinal);
        Assert.Contains("out of GPU memory while building layer 7 (test)", final.Reason, StringComparison.Ordinal);
        Assert.True(final.Figures!.ContainsKey(OtaJobRunner.EngineBuildFigure), OtaPublisher.Describe(final));
        Assert.Equal("1.0.0", final.ActiveVersion);
        Assert.Equal("1.0.0", model.Version);
        Assert.Equal(before, OtaAgent.Infer(model));
        var reports = Publisher.States.History.Where(r => r.JobId == job.JobId).ToList();
        Assert.DoesNotContain(reports, r => r.State == OtaJobStates.Activating || r.Phase == Phases.Gate);
        var call = Assert.Single(warmer.Calls);
        Assert.False(Directory.Exists(call.CacheDirectory), "the half-built engine is left in the cache");

        // The queue moves on: the next job builds its engine and switches.
        var next = await Publisher.DeployAsync("dev-warm-fail", await _bed.Packages.BuildAsync("2.1.0", rounds: 0));
        var nextFinal = await Publisher.WaitTerminalAsync("dev-warm-fail", next.JobId);
        Assert.True(nextFinal.State == OtaJobStates.Succeeded, OtaPublisher.Describe(nextFinal));
        Assert.Equal(2, warmer.Calls.Count);
    }

    [Fact]
    public async Task Deploy_CpuProvider_NothingIsWarmed()
    {
        // The real TensorRT warmer decides; the recorder only watches it.
        RecordingEngineWarmer? warmer = null;
        await using var agent = await OtaAgent.StartAsync(
            _bed.Broker.Host,
            _bed.Broker.Port,
            "dev-warm-cpu",
            _bed.Packages,
            _v1,
            _bed.DataDirectory,
            o => o.Provider = "cpu",
            s => s.AddSingleton<IEngineWarmer>(sp => warmer = new RecordingEngineWarmer(ActivatorUtilities.CreateInstance<TensorRtEngineWarmer>(sp))));

        var job = await Publisher.DeployAsync("dev-warm-cpu", await _bed.Packages.BuildAsync("2.0.0", rounds: 0));
        var final = await Publisher.WaitTerminalAsync("dev-warm-cpu", job.JobId);

        Assert.True(final.State == OtaJobStates.Succeeded, OtaPublisher.Describe(final));
        Assert.NotNull(warmer);
        Assert.True(warmer.AppliesCalls > 0, "the agent never asked whether the provider builds engines");
        Assert.Empty(warmer.Calls);
        var reports = Publisher.States.History.Where(r => r.JobId == job.JobId).ToList();
        Assert.DoesNotContain(reports, r => r.Phase == Phases.Engine);
        Assert.DoesNotContain(reports, r => r.Figures?.ContainsKey(OtaJobRunner.EngineBuildFigure) == true);
        Assert.False(Directory.Exists(Path.Combine(_bed.DataDirectory, "engines")), "a CPU device made an engine cache");
    }

    private Task<AgentHarness> StartAgentAsync(string device, RecordingEngineWarmer warmer) =>
        OtaAgent.StartAsync(_bed.Broker.Host, _bed.Broker.Port, device, _bed.Packages, _v1, _bed.DataDirectory, services: s => s.AddSingleton<IEngineWarmer>(warmer));
}
