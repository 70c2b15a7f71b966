using System.Globalization;
using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.Fleet.Storage;
using Edge.Fleet.Tests.Deployments;
using Edge.Fleet.Tests.Simulation;
using Edge.Packaging;
using Edge.Protocol;
using Edge.TestUtilities.Mqtt;

namespace Edge.Fleet.Tests.Cli;

/// <summary>
/// <c>deploy</c>'s passport check end to end: Mosquitto, real agents reporting their real hardware class in the
/// retained status, signed packages with and without a passport for that class.
/// </summary>
[Collection(SimulatedFleetGroup.Name)]
public sealed class DeployPassportTests : IAsyncLifetime, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-passport-").FullName;
    private readonly TestPackages _packages = new();
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    public void Dispose() => _packages.Dispose();

    [Fact]
    public async Task Deploy_PassportLacksOrSlowOnTheDevicesClass_WarnsOrWithRequirePassportRefusesAndPublishesNothing()
    {
        await using var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, "f1", 2, new SimulationSettings());
        var bare = await _packages.BuildAsync("2.0.0");
        Assert.Equal(ExitCodes.Success, (await RunAsync("groups", "add", "all", "--selector", "model=mnist")).Code);

        var warned = await RunAsync("deploy", bare, "--group", "all", "--trust", _packages.PublicKeyPath, "--dry-run");
        Assert.True(warned.Code == ExitCodes.Success, warned.Error);
        var hardware = await HardwareOfAsync("dev-001");
        Assert.Contains($"edge-fleet: warning: device dev-001 (hardware class {hardware.Key}) has no passport entry in mnist-2.0.0.edgepkg", warned.Error, StringComparison.Ordinal);
        Assert.Contains("edge-fleet: warning: device dev-002 (hardware class ", warned.Error, StringComparison.Ordinal);

        var refused = await RunAsync("deploy", bare, "--group", "all", "--trust", _packages.PublicKeyPath, "--require-passport", "--waves", "100%", "--soak", "1s");
        Assert.Equal(ExitCodes.BadInput, refused.Code);
        Assert.Contains("--require-passport: refusing to deploy mnist-2.0.0.edgepkg to 2 device(s) its passport does not cover: dev-001 (no passport entry for hardware class", refused.Error, StringComparison.Ordinal);
        Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("--require-passport", StringComparison.Ordinal));

        // Measured on this class against mnist 1.0.0, which every device serves: 1.5 times slower.
        var slow = await _packages.BuildAsync("2.0.0", new PackagePassport { Entries = [PassportCheckTests.Entry(hardware, 1.5)] }, "slow.edgepkg");
        var slowWarned = await RunAsync("deploy", slow, "--group", "all", "--trust", _packages.PublicKeyPath, "--dry-run");
        Assert.True(slowWarned.Code == ExitCodes.Success, slowWarned.Error);
        Assert.Contains($"edge-fleet: warning: device dev-002 (hardware class {hardware.Key}): slow.edgepkg measured slower than mnist 1.0.0, the model it serves now (p50 6 ms against 4 ms, ratio 1.5", slowWarned.Error, StringComparison.Ordinal);

        var single = await RunAsync("deploy", slow, "--device", "dev-001", "--trust", _packages.PublicKeyPath, "--require-passport");
        Assert.Equal(ExitCodes.BadInput, single.Code);
        Assert.Contains("to 1 device(s) its passport does not cover: dev-001 (measured slower than mnist 1.0.0", single.Error, StringComparison.Ordinal);

        var unknown = await RunAsync("deploy", slow, "--device", "dev-404", "--trust", _packages.PublicKeyPath, "--require-passport");
        Assert.Equal(ExitCodes.BadInput, unknown.Code);
        Assert.Contains("dev-404 (reports no hardware facts)", unknown.Error, StringComparison.Ordinal);
        Assert.All(fleet.Devices, d => Assert.Empty(d.Ota.JobsReceived));

        var fast = await _packages.BuildAsync("2.0.0", new PackagePassport { Entries = [PassportCheckTests.Entry(hardware, 0.5)] }, "fast.edgepkg");
        var accepted = await RunAsync("deploy", fast, "--group", "all", "--trust", _packages.PublicKeyPath, "--require-passport", "--dry-run");
        Assert.True(accepted.Code == ExitCodes.Success, accepted.Error);
        Assert.DoesNotContain("passport", accepted.Error, StringComparison.Ordinal);
        Assert.Contains("dev-001", accepted.Output, StringComparison.Ordinal);
    }

    private async Task<HardwareFacts> HardwareOfAsync(string device)
    {
        await using var store = await FleetStore.OpenAsync(StoreSpec.Sqlite(Path.Combine(_directory, "state.db")), TimeProvider.System, CancellationToken.None);
        var record = (await store.Inventory.LoadAsync(CancellationToken.None)).Single(d => d.Device == device);
        return record.Hardware ?? throw new InvalidOperationException($"{device}'s stored status has no hardware facts.");
    }

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => FleetCliRun.RunAsync(Path.Combine(_directory, "state.db"), _broker, args);
}
