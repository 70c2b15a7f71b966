using System.Globalization;
using System.Text.RegularExpressions;
using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.Fleet.Deployments;
using Edge.Fleet.Storage;
using Edge.Fleet.Tests.Serving;
using Edge.Fleet.Tests.Simulation;
using Edge.Fleet.Tests.Storage;
using Edge.TestUtilities.Mqtt;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Edge.Fleet.Tests.Dashboard;

/// <summary>
/// The dashboard of a real <c>serve</c> process (PostgreSQL store, rollouts driven by its lease) in chromium, fed by
/// real agents on Mosquitto: the devices appear, a device's chart grows over the event stream, and a rollout of a
/// slower version that serve itself drives aborts on its KPIs with the reason on the page.
/// </summary>
[Collection(SimulatedFleetGroup.Name)]
public sealed partial class DashboardLiveFleetTests : IClassFixture<PostgresFixture>, IAsyncLifetime, IDisposable
{
    private const string Fleet = "live";
    private const string Token = "live-dashboard-token-0123456789";
    private static readonly LocatorAssertionsToContainTextOptions Slow = new() { Timeout = 120_000 };
    private readonly PostgresFixture _postgres;
    private readonly TestPackages _packages = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-dashboard-live-").FullName;
    private MosquittoBroker _broker = null!;

    public DashboardLiveFleetTests(PostgresFixture postgres) => _postgres = postgres;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    public void Dispose()
    {
        _packages.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ServeDashboard_RealAgents_DevicesAppearChartGrowsAndServeDrivenAbortShowsItsReason()
    {
        var connection = await _postgres.CreateDatabaseAsync();
        await using var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, Fleet, 3, new SimulationSettings());
        foreach (var device in fleet.Devices)
        {
            device.Runner.LatencyFactorByVersion["2.0.0"] = 1.5;
        }

        var tokenFile = Path.Combine(_folder, "token");
        await File.WriteAllTextAsync(tokenFile, Token);
        using var serve = await ServeProcess.StartAsync(
        [
            "--store", "postgres:" + connection, "--fleet", Fleet, "--broker", _broker.Host, "--port", _broker.Port.ToString(CultureInfo.InvariantCulture),
            "--instance", "web", "--job-key", OperatorKey.PrivateKeyPath, "--trust", _packages.PublicKeyPath,
            "--dashboard", "http://127.0.0.1:0", "--token-file", tokenFile,
        ]);
        try
        {
            var address = DashboardAddress().Match(serve.Output).Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(address), serve.Output);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true });
            var page = await browser.NewPageAsync();

            // The agents' statuses reach the page through serve's ingest and the event stream.
            await page.GotoAsync(address + "/");
            foreach (var device in fleet.Devices)
            {
                await Expect(page.Locator($"tr[data-device='{device.Id}']")).ToContainTextAsync("online", Slow);
            }

            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("live-overview"), FullPage = true });

            // Telemetry keeps coming: the chart grows without a reload.
            await page.GotoAsync($"{address}/devices/{fleet.Devices[0].Id}");
            var chart = page.Locator("#latency-chart");
            await Expect(chart).ToHaveAttributeAsync("data-points", new Regex("^[1-9]"), new() { Timeout = 120_000 });
            var first = int.Parse(await chart.GetAttributeAsync("data-points") ?? "0", CultureInfo.InvariantCulture);
            await Expect(chart).Not.ToHaveAttributeAsync("data-points", first.ToString(CultureInfo.InvariantCulture), new() { Timeout = 120_000 });
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("live-device"), FullPage = true });

            // A slower version: serve drives the rollout (deploy only stores it) and aborts it on the p95 regression.
            var v2 = await _packages.BuildAsync("2.0.0");
            using (var output = new StringWriter())
            using (var error = new StringWriter())
            {
                var code = await EdgeFleetCli.RunAsync(
                [
                    "groups", "add", "all", "--selector", "model=mnist", "--store", "postgres:" + connection,
                ], output, error);
                Assert.True(code == ExitCodes.Success, error.ToString());
            }

            string id;
            using (var output = new StringWriter())
            using (var error = new StringWriter())
            {
                var code = await EdgeFleetCli.RunAsync(
                [
                    "deploy", v2, "--group", "all", "--trust", _packages.PublicKeyPath, "--waves", "1,100%", "--soak", "2s", "--min-kpi-samples", "2",
                    "--detach", "--store", "postgres:" + connection, "--fleet", Fleet, "--broker", _broker.Host,
                    "--port", _broker.Port.ToString(CultureInfo.InvariantCulture), "--job-key", OperatorKey.PrivateKeyPath,
                ], output, error);
                Assert.True(code == ExitCodes.Success, output + error.ToString());
                id = DeploymentId().Match(output.ToString()).Groups[1].Value;
            }

            await page.GotoAsync($"{address}/rollouts/{id}");
            await Expect(page.Locator("#rollout-state")).ToContainTextAsync(RolloutStates.Aborted, Slow);
            await Expect(page.Locator("#rollout-reason")).ToContainTextAsync(AbortDecision.LatencyRegression, Slow);
            await Expect(page.Locator("#events")).ToContainTextAsync("serve:live/web drives it");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("live-rollout-aborted"), FullPage = true });
            Assert.All(fleet.Devices.Skip(1), d => Assert.Empty(d.Ota.JobsReceived)); // the later wave never got the job
        }
        finally
        {
            Assert.Equal(0, await serve.TerminateAsync());
        }
    }

    private static string Screenshot(string name)
    {
        Directory.CreateDirectory(DashboardFixture.ScreenshotFolder);
        return Path.Combine(DashboardFixture.ScreenshotFolder, $"{name}.png");
    }

    [GeneratedRegex(@"Dashboard at (http://127\.0\.0\.1:\d+)")]
    private static partial Regex DashboardAddress();

    [GeneratedRegex(@"^deployment (dep-[0-9a-f]{8}):", RegexOptions.Multiline)]
    private static partial Regex DeploymentId();
}
