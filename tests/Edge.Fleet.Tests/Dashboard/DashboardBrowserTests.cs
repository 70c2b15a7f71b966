using Edge.Fleet.Deployments;
using Edge.Fleet.Tests.Storage;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Edge.Fleet.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser: devices and telemetry are written through the real stores while chromium shows the
/// pages; every wait is on a DOM condition (Playwright's auto-waiting), never on time.
/// </summary>
public sealed class DashboardBrowserTests : IClassFixture<DashboardFixture>
{
    private readonly DashboardFixture _fixture;

    public DashboardBrowserTests(DashboardFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Overview_DeviceSavedAfterLoad_AppearsWithoutReload()
    {
        var page = await _fixture.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(_fixture.WithToken, "/").ToString());
        await page.EvaluateAsync("window.loadedOnce = true");

        // A device id that is HTML must show as text, not become markup.
        const string Device = "cam-<b>1</b>";
        await _fixture.Store.Inventory.SaveStatusesAsync([StoreTestData.Online(Device)], Now(), CancellationToken.None);

        var row = page.Locator($"tr[data-device='{Device}']");
        await Expect(row).ToContainTextAsync("online");
        await Expect(row.Locator("a")).ToHaveTextAsync(Device);
        Assert.Equal(0, await page.Locator("#devices b").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("window.loadedOnce === true"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("overview"), FullPage = true });
    }

    [Fact]
    public async Task DevicePage_NewTelemetry_ChartUpdatesOverTheEventStream()
    {
        const string Device = "chart-1";
        var start = Now() - TimeSpan.FromMinutes(5);
        await _fixture.Store.Inventory.SaveStatusesAsync([StoreTestData.Online(Device)], start, CancellationToken.None);
        await _fixture.Store.Telemetry.AddAsync(
            [StoreTestData.Record(Device, 1, start, p95: 4), StoreTestData.Record(Device, 2, start.AddSeconds(10), p95: 5)], start, CancellationToken.None);

        var page = await _fixture.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(_fixture.WithToken, $"/devices/{Device}").ToString());
        await Expect(page.Locator("#latency-chart")).ToHaveAttributeAsync("data-points", "2");
        await page.EvaluateAsync("window.loadedOnce = true");

        await _fixture.Store.Telemetry.AddAsync([StoreTestData.Record(Device, 3, start.AddSeconds(20), p95: 250)], start, CancellationToken.None);

        await Expect(page.Locator("#latency-chart")).ToHaveAttributeAsync("data-points", "3");
        await Expect(page.Locator("#facts")).ToContainTextAsync("p95 250.0 ms above 100.0 ms");
        Assert.True(await page.EvaluateAsync<bool>("window.loadedOnce === true"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("device"), FullPage = true });
    }

    [Fact]
    public async Task RolloutPage_AbortWithToken_ShowsTheReason()
    {
        var id = await CreateRunningDeploymentAsync("dep-abort", "abort-1");
        var page = await _fixture.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(_fixture.WithToken, $"/rollouts/{id}").ToString());
        await Expect(page.Locator("#rollout-state")).ToHaveTextAsync(RolloutStates.Running);

        await page.FillAsync("#token", DashboardFixture.Token);
        await page.FillAsync("#abort-reason", "latency on <site> cameras");
        await page.ClickAsync("#abort");

        await Expect(page.Locator("#action-result")).ToContainTextAsync("200");
        await Expect(page.Locator("#rollout-state")).ToHaveTextAsync(RolloutStates.Aborted);
        await Expect(page.Locator("#rollout-reason")).ToHaveTextAsync("operator: latency on <site> cameras");
        await Expect(page.Locator("#events")).ToContainTextAsync("aborted by the operator from the dashboard");
        var stored = await _fixture.Store.Deployments.GetAsync(id, CancellationToken.None);
        Assert.Equal(RolloutStates.Aborted, stored.State);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("rollout-aborted"), FullPage = true });
    }

    [Fact]
    public async Task RolloutPage_WrongToken_RefusedAndStillRunning()
    {
        var id = await CreateRunningDeploymentAsync("dep-wrong", "wrong-1");
        var page = await _fixture.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(_fixture.WithToken, $"/rollouts/{id}").ToString());
        await page.FillAsync("#token", "not-the-token-at-all");
        await page.FillAsync("#abort-reason", "should not happen");
        await page.ClickAsync("#abort");

        await Expect(page.Locator("#action-result")).ToHaveTextAsync("401: the bearer token does not match the dashboard's token.\n");
        Assert.Equal(RolloutStates.Running, (await _fixture.Store.Deployments.GetAsync(id, CancellationToken.None)).State);
    }

    [Fact]
    public async Task ReadOnlyDashboard_ActionWithoutToken_Returns401AndPageHasNoActions()
    {
        var id = await CreateRunningDeploymentAsync("dep-readonly", "readonly-1");
        var page = await _fixture.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(_fixture.ReadOnly, $"/rollouts/{id}").ToString());
        await Expect(page.Locator("#auth.readonly")).ToContainTextAsync("Read-only");
        await Expect(page.Locator("#rollout-state")).ToHaveTextAsync(RolloutStates.Running);
        Assert.Equal(0, await page.Locator("button[data-action]").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("rollout-read-only"), FullPage = true });

        var response = await page.APIRequest.PostAsync(new Uri(_fixture.ReadOnly, $"/api/rollouts/{id}/abort").ToString(), new APIRequestContextOptions { DataObject = new { reason = "x" } });
        Assert.Equal(401, response.Status);
        Assert.StartsWith("actions are disabled", await response.TextAsync(), StringComparison.Ordinal);
        var forget = await page.APIRequest.PostAsync(new Uri(_fixture.WithToken, "/api/devices/readonly-1/forget").ToString());
        Assert.Equal(401, forget.Status);
        Assert.Equal(RolloutStates.Running, (await _fixture.Store.Deployments.GetAsync(id, CancellationToken.None)).State);
    }

    [Fact]
    public async Task ForgetAction_OnlineDevice_RefusedUnlessForced()
    {
        const string Device = "forget-1";
        await _fixture.Store.Inventory.SaveStatusesAsync([StoreTestData.Online(Device)], Now(), CancellationToken.None);
        var page = await _fixture.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(_fixture.WithToken, $"/devices/{Device}").ToString());
        await page.FillAsync("#token", DashboardFixture.Token);

        await page.ClickAsync("#forget");
        await Expect(page.Locator("#action-result")).ToContainTextAsync("409: Device 'forget-1' is online");
        await page.ClickAsync("#forget-force");
        await Expect(page.Locator("#action-result")).ToContainTextAsync("200: Forgot device 'forget-1'");
        Assert.DoesNotContain(await _fixture.Store.Inventory.LoadAsync(CancellationToken.None), d => d.Device == Device);
    }

    private static DateTimeOffset Now() => TimeProvider.System.GetUtcNow();

    private static string Screenshot(string name) => Path.Combine(DashboardFixture.ScreenshotFolder, $"{name}.png");

    private async Task<string> CreateRunningDeploymentAsync(string id, string device)
    {
        var record = new DeploymentRecord
        {
            Id = id,
            PackagePath = "/packages/mnist-2.0.0.edgepkg",
            PackageName = "mnist",
            PackageVersion = "2.0.0",
            Group = "lobby",
            Options = new DeploymentOptions(),
            State = RolloutStates.Running,
            WaveState = RolloutStates.WaveRunning,
        };
        await _fixture.Store.Deployments.CreateAsync(record, [(device, 0, "1.0.0"), ($"{device}-b", 1, "1.0.0")], CancellationToken.None);
        return id;
    }
}
