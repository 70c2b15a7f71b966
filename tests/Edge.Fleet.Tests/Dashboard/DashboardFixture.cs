using Edge.Fleet.Dashboard;
using Edge.Fleet.Storage;
using Microsoft.Playwright;

namespace Edge.Fleet.Tests.Dashboard;

/// <summary>
/// One SQLite store in a temporary folder, served by two real Kestrel dashboards on free loopback ports (one with a
/// token, one read-only), and a headless Debian chromium driven by Playwright. Tests use their own device and
/// deployment ids, so they can share it.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>The token of <see cref="WithToken"/>.</summary>
    public const string Token = "test-token-0123456789abcdef";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"edge-dashboard-{Guid.NewGuid():N}");
    private IPlaywright? _playwright;
    private DashboardServer? _withToken;
    private DashboardServer? _readOnly;
    private IFleetStore? _store;
    private IBrowser? _browser;

    /// <summary>Where screenshots of the key pages are kept: TestResults/dashboard under the test output folder (git-ignored).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The fixture is not initialized.");

    internal IFleetStore Store => _store ?? throw new InvalidOperationException("The fixture is not initialized.");

    internal Uri WithToken => _withToken?.Address ?? throw new InvalidOperationException("The fixture is not initialized.");

    internal Uri ReadOnly => _readOnly?.Address ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        Directory.CreateDirectory(ScreenshotFolder);
        _store = await FleetStore.OpenAsync(StoreSpec.Sqlite(Path.Combine(_folder, "state.db")), TimeProvider.System, CancellationToken.None);
        var options = new DashboardOptions { Listen = "http://127.0.0.1:0", Refresh = TimeSpan.FromMilliseconds(200) };
        _withToken = await DashboardServer.StartAsync(_store, options with { Token = Token }, TimeProvider.System, CancellationToken.None);
        _readOnly = await DashboardServer.StartAsync(_store, options, TimeProvider.System, CancellationToken.None);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_withToken is not null)
        {
            await _withToken.DisposeAsync();
        }

        if (_readOnly is not null)
        {
            await _readOnly.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }
}
