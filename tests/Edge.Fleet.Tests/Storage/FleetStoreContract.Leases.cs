using System.Security.Cryptography;
using Edge.Fleet.Deployments;

namespace Edge.Fleet.Tests.Storage;

/// <summary>Deployment leases, fenced writes, unfinished deployments and package copies, on both stores.</summary>
public abstract partial class FleetStoreContract
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);

    /// <summary>Lets <paramref name="ttl"/> pass on the clock the store times leases with.</summary>
    protected abstract Task LetLeaseTimePassAsync(TimeSpan ttl);

    /// <summary>Whether the store keeps copies of packages (PostgreSQL) or only their paths (SQLite).</summary>
    protected abstract bool KeepsPackageCopies { get; }

    private async Task CreateAsync(string id, string device, DeploymentLease? lease = null) =>
        await DeploymentPlanner.CreateAsync(Store.Deployments,
            DeploymentPlanner.Plan(id, "g1", id + ".edgepkg", "mnist", "2.0.0", new DeploymentOptions(), [Device(device)]), "ab", null, lease, hold: false, CancellationToken.None);

    [Fact]
    public async Task Lease_HeldByOne_RefusedToAnotherUntilItRunsOutOrIsReleased()
    {
        await CreateAsync("dep-a", "d1");
        var a = new DeploymentLease("serve:f1/a", Ttl);
        var b = new DeploymentLease("serve:f1/b", Ttl);

        Assert.True(await Store.Deployments.TryLeaseAsync("dep-a", a, CancellationToken.None));
        Assert.False(await Store.Deployments.TryLeaseAsync("dep-a", b, CancellationToken.None));
        Assert.True(await Store.Deployments.TryLeaseAsync("dep-a", a, CancellationToken.None)); // renewal
        var held = await Store.Deployments.GetAsync("dep-a", CancellationToken.None);
        Assert.Equal("serve:f1/a", held.LeaseOwner);
        Assert.NotNull(held.LeaseExpires);

        // The holder dies without a word: its lease runs out and another takes it.
        await LetLeaseTimePassAsync(Ttl + TimeSpan.FromSeconds(0.5));
        Assert.True(await Store.Deployments.TryLeaseAsync("dep-a", b, CancellationToken.None));
        Assert.False(await Store.Deployments.TryLeaseAsync("dep-a", a, CancellationToken.None));

        // A holder that stops gives it up at once.
        await Store.Deployments.ReleaseLeaseAsync("dep-a", "serve:f1/a", CancellationToken.None); // not the holder: nothing changes
        Assert.False(await Store.Deployments.TryLeaseAsync("dep-a", a, CancellationToken.None));
        await Store.Deployments.ReleaseLeaseAsync("dep-a", "serve:f1/b", CancellationToken.None);
        Assert.True(await Store.Deployments.TryLeaseAsync("dep-a", a, CancellationToken.None));
    }

    [Fact]
    public async Task CreateDeployment_WithLease_HeldByItsCreatorFromTheStart()
    {
        await CreateAsync("dep-a", "d1", new DeploymentLease("cli:host/1", Ttl));

        Assert.False(await Store.Deployments.TryLeaseAsync("dep-a", new DeploymentLease("serve:f1/a", Ttl), CancellationToken.None));
        Assert.Equal("cli:host/1", (await Store.Deployments.GetAsync("dep-a", CancellationToken.None)).LeaseOwner);
        Assert.Equal("ab", (await Store.Deployments.GetAsync("dep-a", CancellationToken.None)).PackageSha256);
    }

    [Fact]
    public async Task TryUpdateDeployment_FencedOnTheLeaseAndTheStateRead()
    {
        await CreateAsync("dep-a", "d1");
        var a = new DeploymentLease("serve:f1/a", Ttl);
        Assert.True(await Store.Deployments.TryLeaseAsync("dep-a", a, CancellationToken.None));

        Assert.False(await Store.Deployments.TryUpdateDeploymentAsync("dep-a", RolloutStates.Running, "serve:f1/b", RolloutStates.Running, null, 1, RolloutStates.WaveRunning, null, CancellationToken.None));
        Assert.False(await Store.Deployments.TryUpdateDeploymentAsync("dep-a", RolloutStates.Paused, a.Owner, RolloutStates.Running, null, 1, RolloutStates.WaveRunning, null, CancellationToken.None));
        Assert.True(await Store.Deployments.TryUpdateDeploymentAsync("dep-a", RolloutStates.Running, a.Owner, RolloutStates.Running, null, 1, RolloutStates.WaveRunning, null, CancellationToken.None));
        Assert.Equal(1, (await Store.Deployments.GetAsync("dep-a", CancellationToken.None)).CurrentWave);

        // An operator's write (no lease) still needs the state it read; the engine's next write then finds it changed.
        Assert.True(await Store.Deployments.TryUpdateDeploymentAsync("dep-a", RolloutStates.Running, null, RolloutStates.Paused, null, 1, RolloutStates.WaveRunning, null, CancellationToken.None));
        Assert.False(await Store.Deployments.TryUpdateDeploymentAsync("dep-a", RolloutStates.Running, a.Owner, RolloutStates.Running, null, 2, RolloutStates.WaveRunning, null, CancellationToken.None));

        // An expired lease fences too, even before anyone else takes it.
        await LetLeaseTimePassAsync(Ttl + TimeSpan.FromSeconds(0.5));
        Assert.False(await Store.Deployments.TryUpdateDeploymentAsync("dep-a", RolloutStates.Paused, a.Owner, RolloutStates.Running, null, 2, RolloutStates.WaveRunning, null, CancellationToken.None));
        Assert.Equal(1, (await Store.Deployments.GetAsync("dep-a", CancellationToken.None)).CurrentWave);
    }

    [Fact]
    public async Task UpdateDevices_WithALeaseOwner_WritesOnlyWhileItHoldsTheLease()
    {
        await CreateAsync("dep-a", "d1");
        var a = new DeploymentLease("serve:f1/a", Ttl);
        var b = new DeploymentLease("serve:f1/b", Ttl);
        var device = (await Store.Deployments.DevicesAsync("dep-a", CancellationToken.None)).Single();
        Assert.True(await Store.Deployments.TryLeaseAsync("dep-a", a, CancellationToken.None));

        Assert.True(await Store.Deployments.UpdateDeviceAsync("dep-a", device with { State = "downloading", JobId = "j1" }, CancellationToken.None, a.Owner));
        Assert.False(await Store.Deployments.UpdateDeviceAsync("dep-a", device with { State = RolloutStates.Skipped }, CancellationToken.None, b.Owner));
        Assert.Equal("downloading", (await Store.Deployments.DevicesAsync("dep-a", CancellationToken.None)).Single().State);

        // The lease runs out and another instance takes it: the first one's late write is fenced off, nothing changes.
        await LetLeaseTimePassAsync(Ttl + TimeSpan.FromSeconds(0.5));
        Assert.False(await Store.Deployments.UpdateDeviceAsync("dep-a", device with { State = RolloutStates.Skipped }, CancellationToken.None, a.Owner));
        Assert.True(await Store.Deployments.TryLeaseAsync("dep-a", b, CancellationToken.None));
        Assert.False(await Store.Deployments.UpdateDevicesAsync("dep-a", [device with { State = RolloutStates.Skipped }], CancellationToken.None, a.Owner));
        Assert.Equal("downloading", (await Store.Deployments.DevicesAsync("dep-a", CancellationToken.None)).Single().State);

        // The new holder writes; an operator's write (no lease) is not fenced.
        Assert.True(await Store.Deployments.UpdateDeviceAsync("dep-a", device with { State = "installing", JobId = "j1" }, CancellationToken.None, b.Owner));
        Assert.True(await Store.Deployments.UpdateDeviceAsync("dep-a", device with { State = RolloutStates.Skipped }, CancellationToken.None));
        Assert.Equal(RolloutStates.Skipped, (await Store.Deployments.DevicesAsync("dep-a", CancellationToken.None)).Single().State);
    }

    [Fact]
    public async Task Unfinished_RunningPausedAndAbortedWithJobsInFlight_CompletedLeftOut()
    {
        foreach (var (id, device) in new[] { ("dep-run", "d1"), ("dep-pause", "d2"), ("dep-abort", "d3"), ("dep-done", "d4"), ("dep-quiet", "d5") })
        {
            await CreateAsync(id, device);
        }

        await Store.Deployments.UpdateDeploymentAsync("dep-pause", RolloutStates.Paused, null, 0, RolloutStates.WaveRunning, null, CancellationToken.None);
        await Store.Deployments.UpdateDeploymentAsync("dep-abort", RolloutStates.Aborted, "x", 0, null, null, CancellationToken.None);
        var inFlight = (await Store.Deployments.DevicesAsync("dep-abort", CancellationToken.None)).Single();
        await Store.Deployments.UpdateDeviceAsync("dep-abort", inFlight with { State = "downloading", JobId = "dep-abort" }, CancellationToken.None);
        await Store.Deployments.UpdateDeploymentAsync("dep-done", RolloutStates.Completed, "all", 0, null, null, CancellationToken.None);
        await Store.Deployments.UpdateDeploymentAsync("dep-quiet", RolloutStates.Aborted, "x", 0, null, null, CancellationToken.None);

        var unfinished = await Store.Deployments.UnfinishedAsync(CancellationToken.None);

        Assert.Equal(["dep-abort", "dep-pause", "dep-run"], unfinished.Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Packages_SavedThenExtracted_SameBytesWhereTheStoreKeepsCopies()
    {
        var folder = Directory.CreateTempSubdirectory("edge-fleet-packages-").FullName;
        try
        {
            var original = Path.Combine(folder, "v2.edgepkg");
            var bytes = RandomNumberGenerator.GetBytes(300_000);
            await File.WriteAllBytesAsync(original, bytes);
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            await Store.Packages.SaveAsync(sha, original, CancellationToken.None);
            await Store.Packages.SaveAsync(sha, original, CancellationToken.None); // kept once

            // The recorded path is gone (another machine): only the store's copy can stand in.
            File.Delete(original);
            var cache = Path.Combine(folder, "cache");
            if (KeepsPackageCopies)
            {
                var located = await StoredPackages.LocateAsync(Store.Packages, original, sha, cache, CancellationToken.None);
                Assert.Equal(bytes, await File.ReadAllBytesAsync(located));
                Assert.StartsWith(cache, located, StringComparison.Ordinal);
            }
            else
            {
                var missing = await Assert.ThrowsAsync<FileNotFoundException>(() => StoredPackages.LocateAsync(Store.Packages, original, sha, cache, CancellationToken.None));
                Assert.Contains("keeps no copy", missing.Message, StringComparison.Ordinal);
            }

            // A file at the recorded path with other bytes is not taken for the package.
            await File.WriteAllBytesAsync(original, [1, 2, 3]);
            var found = KeepsPackageCopies
                ? await StoredPackages.LocateAsync(Store.Packages, original, sha, cache, CancellationToken.None)
                : null;
            Assert.NotEqual(original, found);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
