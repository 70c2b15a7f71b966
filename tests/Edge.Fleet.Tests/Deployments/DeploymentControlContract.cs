using Edge.Fleet.Deployments;
using Edge.Fleet.Inventory;
using Edge.Fleet.Storage;
using Microsoft.Extensions.Time.Testing;
using static Edge.Fleet.Tests.Storage.StoreTestData;

namespace Edge.Fleet.Tests.Deployments;

/// <summary>
/// The operator's actions (<see cref="DeploymentControl"/>) on a real store, run against SQLite
/// (<see cref="SqliteDeploymentControlTests"/>) and PostgreSQL (<see cref="PostgresDeploymentControlTests"/>): the
/// same actions give the same outcomes, states and events.
/// </summary>
public abstract class DeploymentControlContract : IAsyncLifetime
{
    private IFleetStore? _store;
    private StoreSpec? _spec;

    protected FakeTimeProvider Time { get; } = new(Start);

    internal IFleetStore Store => _store ?? throw new InvalidOperationException("The store is not open.");

    private DeploymentControl Control => new(Store.Deployments, Time, "from the test");

    public async Task InitializeAsync()
    {
        _spec = await SpecAsync();
        _store = await FleetStore.OpenAsync(_spec, Time, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        await CleanUpAsync();
    }

    /// <summary>A store of its own for each test.</summary>
    internal abstract Task<StoreSpec> SpecAsync();

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    [Fact]
    public async Task Pause_Running_PausedKeepsItsWaveAndSaysWhoDidIt()
    {
        await CreateAsync("dep-p");

        var outcome = await Control.PauseAsync("dep-p", CancellationToken.None);

        Assert.Equal(DeploymentActionStatus.Done, outcome.Status);
        Assert.Equal("Deployment 'dep-p' paused (was running).", outcome.Message);
        var stored = await Store.Deployments.GetAsync("dep-p", CancellationToken.None);
        Assert.Equal(RolloutStates.Paused, stored.State);
        Assert.Equal("paused by the operator from the test", stored.Reason);
        Assert.Equal(RolloutStates.WaveRunning, stored.WaveState);
        Assert.Contains(await Store.Deployments.EventsAsync("dep-p", CancellationToken.None), e => e.Message == "paused by the operator from the test");
    }

    [Fact]
    public async Task Pause_Twice_SecondIsAConflictNamingTheState()
    {
        await CreateAsync("dep-pp");
        Assert.True((await Control.PauseAsync("dep-pp", CancellationToken.None)).Succeeded);

        var again = await Control.PauseAsync("dep-pp", CancellationToken.None);

        Assert.Equal(DeploymentActionStatus.Conflict, again.Status);
        Assert.Equal("Deployment 'dep-pp' is paused; only a running deployment can be paused.", again.Message);
    }

    [Fact]
    public async Task Pause_TwoAtOnceFromTwoConnections_ExactlyOneWins()
    {
        await CreateAsync("dep-race");
        await using var other = await FleetStore.OpenAsync(_spec!, Time, CancellationToken.None);
        var second = new DeploymentControl(other.Deployments, Time, "from the other test");

        var outcomes = await Task.WhenAll(Control.PauseAsync("dep-race", CancellationToken.None), second.PauseAsync("dep-race", CancellationToken.None));

        Assert.Single(outcomes, o => o.Status == DeploymentActionStatus.Done);
        var loser = Assert.Single(outcomes, o => o.Status == DeploymentActionStatus.Conflict);
        Assert.StartsWith("Deployment 'dep-race' ", loser.Message, StringComparison.Ordinal);
        Assert.Single(await Store.Deployments.EventsAsync("dep-race", CancellationToken.None), e => e.Message.StartsWith("paused by the operator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resume_HeldDeployment_IsStartedThenAResumeOfARunningOneConflicts()
    {
        await CreateAsync("dep-held", hold: true);
        var held = await Store.Deployments.GetAsync("dep-held", CancellationToken.None);
        Assert.Equal(RolloutStates.Paused, held.State);
        Assert.Equal(DeploymentPlanner.HeldReason, held.Reason);

        var started = await Control.ResumeAsync("dep-held", CancellationToken.None);
        var twice = await Control.ResumeAsync("dep-held", CancellationToken.None);

        Assert.Equal("Deployment 'dep-held' started (was paused).", started.Message);
        var stored = await Store.Deployments.GetAsync("dep-held", CancellationToken.None);
        Assert.Equal(RolloutStates.Running, stored.State);
        Assert.Null(stored.Reason);
        Assert.Equal(DeploymentActionStatus.Conflict, twice.Status);
        Assert.Equal("Deployment 'dep-held' is running; only a paused deployment can be started.", twice.Message);
    }

    [Fact]
    public async Task Resume_PausedAfterAJobWentOut_IsResumed()
    {
        await CreateAsync("dep-r");
        var device = (await Store.Deployments.DevicesAsync("dep-r", CancellationToken.None))[0];
        await Store.Deployments.UpdateDeviceAsync("dep-r", device with { State = RolloutStates.Published, JobId = "dep-r", Started = Time.GetUtcNow() }, CancellationToken.None);
        await Control.PauseAsync("dep-r", CancellationToken.None);

        var outcome = await Control.ResumeAsync("dep-r", CancellationToken.None);

        Assert.Equal("Deployment 'dep-r' resumed (was paused).", outcome.Message);
        Assert.Contains(await Store.Deployments.EventsAsync("dep-r", CancellationToken.None), e => e.Message == "resumed by the operator from the test");
    }

    [Fact]
    public async Task Abort_Paused_SkipsPendingDevicesWithTheReason_AndNeedsAReason()
    {
        await CreateAsync("dep-a", hold: true);

        var noReason = await Control.AbortAsync("dep-a", " \n ", CancellationToken.None);
        var outcome = await Control.AbortAsync("dep-a", "wrong\npackage", CancellationToken.None);

        Assert.Equal(DeploymentActionStatus.BadRequest, noReason.Status);
        Assert.Equal("An abort needs a reason of 1 to 500 characters; got 0.", noReason.Message);
        Assert.Equal("Aborted deployment 'dep-a' (2 pending devices skipped): wrong package", outcome.Message);
        var stored = await Store.Deployments.GetAsync("dep-a", CancellationToken.None);
        Assert.Equal(RolloutStates.Aborted, stored.State);
        Assert.Equal("operator: wrong package", stored.Reason);
        Assert.All(await Store.Deployments.DevicesAsync("dep-a", CancellationToken.None), d => Assert.Equal(RolloutStates.Skipped, d.State));
        Assert.Equal(DeploymentActionStatus.Conflict, (await Control.AbortAsync("dep-a", "again", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task RequestRollback_WithAndWithoutARollbackPackage()
    {
        await CreateAsync("dep-norb");
        await CreateAsync("dep-rb", rollbackPackage: "/packages/mnist-1.0.0.edgepkg", devicePrefix: "rb");
        await Store.Deployments.UpdateDeploymentAsync("dep-rb", RolloutStates.Completed, "done", 0, null, Time.GetUtcNow(), CancellationToken.None);

        var refused = await Control.RequestRollbackAsync("dep-norb", CancellationToken.None);
        var requested = await Control.RequestRollbackAsync("dep-rb", CancellationToken.None);
        var unknown = await Control.RequestRollbackAsync("dep-none", CancellationToken.None);

        Assert.Equal(DeploymentActionStatus.BadRequest, refused.Status);
        Assert.StartsWith("Deployment 'dep-norb' has no rollback package", refused.Message, StringComparison.Ordinal);
        Assert.Equal(RolloutStates.Running, (await Store.Deployments.GetAsync("dep-norb", CancellationToken.None)).State);
        Assert.Equal("Deployment 'dep-rb' rollback requested (was completed).", requested.Message);
        Assert.Equal(RolloutStates.RollbackRequested, (await Store.Deployments.GetAsync("dep-rb", CancellationToken.None)).State);
        Assert.Contains(await Store.Deployments.EventsAsync("dep-rb", CancellationToken.None), e => e.Message == "rollback requested by the operator from the test");
        Assert.Equal(DeploymentActionStatus.NotFound, unknown.Status);
        Assert.Equal("Unknown deployment 'dep-none'.", unknown.Message);
    }

    private Task CreateAsync(string id, bool hold = false, string? rollbackPackage = null, string devicePrefix = "d")
    {
        var options = new DeploymentOptions { Waves = "1,100%", RollbackPackage = rollbackPackage };
        DeviceRecord[] devices = [new() { Fleet = "f1", Device = $"{devicePrefix}-{id}-1", Online = true }, new() { Fleet = "f1", Device = $"{devicePrefix}-{id}-2", Online = true }];
        var plan = DeploymentPlanner.Plan(id, "g1", "/packages/mnist-2.0.0.edgepkg", "mnist", "2.0.0", options, devices);
        return DeploymentPlanner.CreateAsync(Store.Deployments, plan, null, null, null, hold, CancellationToken.None);
    }
}
