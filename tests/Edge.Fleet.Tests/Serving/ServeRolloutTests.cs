using System.Globalization;
using System.Text.RegularExpressions;
using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.Fleet.Deployments;
using Edge.Fleet.Storage;
using Edge.Fleet.Tests.Simulation;
using Edge.Fleet.Tests.Storage;
using Edge.TestUtilities.Mqtt;
using Xunit.Abstractions;

namespace Edge.Fleet.Tests.Serving;

/// <summary>
/// Issue 22: rollouts driven by whichever <c>serve</c> instance holds the deployment's lease in PostgreSQL. Two real
/// serve processes, simulated devices on Mosquitto, a deployment stored with <c>deploy --detach</c>; the holder is
/// killed with SIGKILL mid-rollout and the other takes over, with no wave started twice and one job per device.
/// </summary>
[Collection(SimulatedFleetGroup.Name)]
public sealed partial class ServeRolloutTests : IClassFixture<PostgresFixture>, IAsyncLifetime, IDisposable
{
    private const string Fleet = "handover";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly PostgresFixture _postgres;
    private readonly ITestOutputHelper _output;
    private readonly TestPackages _packages = new();
    private MosquittoBroker _broker = null!;

    public ServeRolloutTests(PostgresFixture postgres, ITestOutputHelper output)
    {
        _postgres = postgres;
        _output = output;
    }

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    public void Dispose() => _packages.Dispose();

    [Fact]
    public async Task Serve_LeaseHolderKilledMidRollout_OtherInstanceTakesOverAndNoWaveStartsTwice()
    {
        var connection = await _postgres.CreateDatabaseAsync();
        var spec = StoreSpec.Parse("postgres:" + connection, "test");
        await using var store = await FleetStore.OpenAsync(spec, TimeProvider.System, CancellationToken.None);

        // Each device takes about 2 s through its job, so the rollout is mid-wave when the holder dies.
        await using var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, Fleet, 6, new SimulationSettings { OtaStepDelay = TimeSpan.FromMilliseconds(300) });
        var v2 = await _packages.BuildAsync("2.0.0");
        using var a = await ServeProcess.StartAsync(ServeArguments(connection, "a"));
        using var b = await ServeProcess.StartAsync(ServeArguments(connection, "b"));
        try
        {
            await FleetToolHarness.WaitUntilAsync(() => store.Inventory.LoadAsync(CancellationToken.None).GetAwaiter().GetResult().Count == 6, Patience, () => "the serve instances did not store 6 statuses");
            Assert.Equal(ExitCodes.Success, (await RunAsync(connection, "groups", "add", "all", "--selector", "model=mnist")).Code);
            var deploy = await RunAsync(connection, "deploy", v2, "--group", "all", "--trust", _packages.PublicKeyPath, "--waves", "1,2,4,100%", "--soak", "1s",
                "--abort-latency-p95-regression", "off", "--abort-error-rate", "off", "--detach");
            Assert.True(deploy.Code == ExitCodes.Success, deploy.Output + deploy.Error);
            var id = DeploymentId().Match(deploy.Output).Groups[1].Value;
            Assert.Contains($"{id}: stored;", deploy.Output, StringComparison.Ordinal);

            // Started twice: the devices have an open job. A resume leaves the deployment to its holder.
            var again = await RunAsync(connection, "deploy", v2, "--group", "all", "--trust", _packages.PublicKeyPath, "--detach");
            Assert.Equal(ExitCodes.BadInput, again.Code);
            Assert.Contains(id, again.Error, StringComparison.Ordinal);

            await WaitForEventAsync(store, id, "wave 2 started");
            var holder = (await store.Deployments.GetAsync(id, CancellationToken.None)).LeaseOwner;
            Assert.True(holder is $"serve:{Fleet}/a" or $"serve:{Fleet}/b", $"holder: {holder}");
            var resume = await RunAsync(connection, "resume", id, "--trust", _packages.PublicKeyPath);
            Assert.Equal(ExitCodes.Success, resume.Code); // it says who drives it, and leaves it to that instance
            Assert.Contains($"{holder} drives it and continues it", resume.Output, StringComparison.Ordinal);

            var (killed, survivor) = holder.EndsWith("/a", StringComparison.Ordinal) ? (a, b) : (b, a);
            await killed.KillAsync();
            var killedAt = TimeProvider.System.GetUtcNow();

            // Finished, and the lease given up (on the engine's tick after the last state change).
            await FleetToolHarness.WaitUntilAsync(
                () => store.Deployments.GetAsync(id, CancellationToken.None).GetAwaiter().GetResult() is { State: not RolloutStates.Running, LeaseOwner: null },
                Patience,
                () => $"still running or held; survivor's output:\n{survivor.Output}");

            var final = await store.Deployments.GetAsync(id, CancellationToken.None);
            var logged = await store.Deployments.EventsAsync(id, CancellationToken.None);
            var events = logged.Select(e => e.Message).ToList();
            _output.WriteLine(string.Join('\n', events));
            var takeover = logged.Single(e => e.Message.Contains("took the deployment over", StringComparison.Ordinal)).At;
            _output.WriteLine($"taken over {(takeover - killedAt).TotalSeconds:F1} s after the kill (lease 4 s, poll 2 s)");
            Assert.Equal(RolloutStates.Completed, final.State);
            Assert.Contains(events, e => e.Contains($"took the deployment over from {holder}", StringComparison.Ordinal));
            foreach (var wave in new[] { 2, 3, 4 })
            {
                Assert.Single(events, e => e == $"wave {wave} started");
            }

            Assert.All(await store.Deployments.DevicesAsync(id, CancellationToken.None), d => Assert.Equal(RolloutStates.Succeeded, d.State));
            Assert.All(fleet.Devices, d => Assert.Single(d.Ota.JobsReceived));
            Assert.Contains($"took the lease of {id}", survivor.Output, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var serve in new[] { a, b })
            {
                if (!serve.HasExited)
                {
                    Assert.Equal(0, await serve.TerminateAsync());
                }
            }
        }
    }

    private string[] ServeArguments(string connection, string instance) =>
    [
        "--store", "postgres:" + connection, "--fleet", Fleet, "--broker", _broker.Host, "--port", _broker.Port.ToString(CultureInfo.InvariantCulture),
        "--instance", instance, "--job-key", OperatorKey.PrivateKeyPath, "--trust", _packages.PublicKeyPath, "--lease", "4s",
    ];

    private async Task<(int Code, string Output, string Error)> RunAsync(string connection, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] common = ["--store", "postgres:" + connection, "--fleet", Fleet, "--broker", _broker.Host, "--port", _broker.Port.ToString(CultureInfo.InvariantCulture), "--job-key", OperatorKey.PrivateKeyPath];
        var code = await EdgeFleetCli.RunAsync([.. args, .. common], output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static Task WaitForEventAsync(IFleetStore store, string id, string message) =>
        FleetToolHarness.WaitUntilAsync(
            () => store.Deployments.EventsAsync(id, CancellationToken.None).GetAwaiter().GetResult().Any(e => e.Message == message),
            Patience,
            () => $"no event '{message}' in {id}");

    [GeneratedRegex(@"^deployment (dep-[0-9a-f]{8}):", RegexOptions.Multiline)]
    private static partial Regex DeploymentId();
}
