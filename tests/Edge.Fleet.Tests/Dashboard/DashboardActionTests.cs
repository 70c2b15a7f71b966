using Edge.Fleet.Deployments;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Edge.Fleet.Tests.Dashboard;

/// <summary>
/// Pause, resume, start and rollback from the rollout page in a real browser: the buttons follow the deployment's
/// state over the event stream, and every answer shows in the page. Waits are on DOM conditions only.
/// </summary>
public sealed class DashboardActionTests : IClassFixture<DashboardFixture>
{
    private readonly DashboardFixture _fixture;

    public DashboardActionTests(DashboardFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task PauseThenResume_StateAndButtonsFollow()
    {
        var id = await CreateAsync("dep-pause", "pause-1", RolloutStates.Running, published: true);
        var page = await OpenAsync(id);
        await Expect(page.Locator("#pause")).ToHaveTextAsync("Pause rollout");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("rollout-running"), FullPage = true });

        await page.ClickAsync("#pause");

        await Expect(page.Locator("#action-result")).ToHaveTextAsync($"200: Deployment '{id}' paused (was running).\n");
        await Expect(page.Locator("#rollout-state")).ToHaveTextAsync(RolloutStates.Paused);
        await Expect(page.Locator("#resume")).ToHaveTextAsync("Resume rollout");
        await Expect(page.Locator("#pause")).ToHaveCountAsync(0);
        await Expect(page.Locator("#events")).ToContainTextAsync("paused by the operator from the dashboard");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("rollout-paused"), FullPage = true });

        await page.ClickAsync("#resume");

        await Expect(page.Locator("#action-result")).ToHaveTextAsync($"200: Deployment '{id}' resumed (was paused).\n");
        await Expect(page.Locator("#rollout-state")).ToHaveTextAsync(RolloutStates.Running);
        await Expect(page.Locator("#pause")).ToHaveCountAsync(1);
        await Expect(page.Locator("#events")).ToContainTextAsync("resumed by the operator from the dashboard");
        Assert.Equal(RolloutStates.Running, (await _fixture.Store.Deployments.GetAsync(id, CancellationToken.None)).State);
    }

    [Fact]
    public async Task HeldDeployment_StartButtonStartsIt_AndAStartTwiceIsAClearConflict()
    {
        var id = await CreateAsync("dep-held", "held-1", RolloutStates.Paused, published: false);
        var page = await OpenAsync(id);
        await Expect(page.Locator("#rollout-reason")).ToHaveTextAsync(DeploymentPlanner.HeldReason);
        await Expect(page.Locator("#resume")).ToHaveTextAsync("Start rollout");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("rollout-held"), FullPage = true });

        await page.ClickAsync("#resume");

        await Expect(page.Locator("#action-result")).ToHaveTextAsync($"200: Deployment '{id}' started (was paused).\n");
        await Expect(page.Locator("#rollout-state")).ToHaveTextAsync(RolloutStates.Running);
        await Expect(page.Locator("#events")).ToContainTextAsync("started by the operator from the dashboard");

        var again = await page.APIRequest.PostAsync(Api(id, "start"), new APIRequestContextOptions { Headers = Bearer(DashboardFixture.Token) });
        Assert.Equal(409, again.Status);
        Assert.Equal($"Deployment '{id}' is running; only a paused deployment can be started.\n", await again.TextAsync());
    }

    [Fact]
    public async Task RollbackButton_RequestsARollbackFromTheLeaseHolder()
    {
        var id = await CreateAsync("dep-rollback", "rollback-1", RolloutStates.Running, published: true, rollbackPackage: "/packages/mnist-1.0.0.edgepkg");
        var page = await OpenAsync(id);

        await page.ClickAsync("#rollback");

        await Expect(page.Locator("#action-result")).ToContainTextAsync($"200: Deployment '{id}' rollback requested (was running)");
        await Expect(page.Locator("#rollout-state")).ToHaveTextAsync(RolloutStates.RollbackRequested);
        await Expect(page.Locator("#events")).ToContainTextAsync("rollback requested by the operator from the dashboard");
        await Expect(page.Locator("#controls button")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("rollout-rollback-requested"), FullPage = true });
    }

    [Fact]
    public async Task Api_RollbackWithoutPackageAndActionsWithoutToken_GetClearErrors()
    {
        var id = await CreateAsync("dep-api", "api-1", RolloutStates.Running, published: false);
        var page = await OpenAsync(id);
        await Expect(page.Locator("#rollback")).ToHaveCountAsync(0);

        var noToken = await page.APIRequest.PostAsync(Api(id, "pause"));
        var wrongAction = await page.APIRequest.PostAsync(Api(id, "explode"), new APIRequestContextOptions { Headers = Bearer(DashboardFixture.Token) });
        var rollback = await page.APIRequest.PostAsync(Api(id, "rollback"), new APIRequestContextOptions { Headers = Bearer(DashboardFixture.Token) });

        Assert.Equal(401, noToken.Status);
        Assert.Equal("missing bearer token: send 'Authorization: Bearer TOKEN'.\n", await noToken.TextAsync());
        Assert.Equal(404, wrongAction.Status);
        Assert.StartsWith("Unknown action 'explode'", await wrongAction.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(400, rollback.Status);
        Assert.StartsWith($"Deployment '{id}' has no rollback package", await rollback.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(RolloutStates.Running, (await _fixture.Store.Deployments.GetAsync(id, CancellationToken.None)).State);
    }

    private static string Screenshot(string name) => Path.Combine(DashboardFixture.ScreenshotFolder, $"{name}.png");

    private static Dictionary<string, string> Bearer(string token) => new() { ["Authorization"] = $"Bearer {token}" };

    private string Api(string id, string action) => new Uri(_fixture.WithToken, $"/api/rollouts/{id}/{action}").ToString();

    private async Task<IPage> OpenAsync(string id)
    {
        var page = await _fixture.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(_fixture.WithToken, $"/rollouts/{id}").ToString());
        await Expect(page.Locator("#live")).ToHaveAttributeAsync("data-state", "live");
        await page.FillAsync("#token", DashboardFixture.Token);
        return page;
    }

    private async Task<string> CreateAsync(string id, string device, string state, bool published, string? rollbackPackage = null)
    {
        var record = new DeploymentRecord
        {
            Id = id,
            PackagePath = "/packages/mnist-2.0.0.edgepkg",
            PackageName = "mnist",
            PackageVersion = "2.0.0",
            Group = "lobby",
            Options = new DeploymentOptions { RollbackPackage = rollbackPackage },
            State = state,
            Reason = state == RolloutStates.Paused ? DeploymentPlanner.HeldReason : null,
            WaveState = RolloutStates.WaveRunning,
        };
        await _fixture.Store.Deployments.CreateAsync(record, [(device, 0, "1.0.0"), ($"{device}-b", 1, "1.0.0")], CancellationToken.None);
        if (published)
        {
            var first = (await _fixture.Store.Deployments.DevicesAsync(id, CancellationToken.None))[0];
            await _fixture.Store.Deployments.UpdateDeviceAsync(id, first with { State = "downloading", JobId = id, Progress = 40, Started = TimeProvider.System.GetUtcNow() }, CancellationToken.None);
        }

        return id;
    }
}
