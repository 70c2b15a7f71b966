using System.Net;
using Edge.Fleet.Dashboard;
using Edge.Fleet.Storage;
using Edge.Fleet.Tests.Storage;
using static Edge.Fleet.Tests.Storage.StoreTestData;

namespace Edge.Fleet.Tests.Dashboard;

/// <summary>The overview's device rows show each device's latest drift figures, marked past monitor's default thresholds.</summary>
public sealed class OverviewPageDriftTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-overview-drift-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Render_DevicesWithAndWithoutDrift_ShowsTheFiguresPerRow()
    {
        await using var store = await FleetStore.OpenAsync(StoreSpec.Parse($"sqlite:{Path.Combine(_directory, "state.db")}", "--store"), TimeProvider.System, CancellationToken.None);
        await store.Inventory.SaveStatusesAsync([Online("calm"), Online("shifted"), Online("plain")], Start, CancellationToken.None);
        await store.Telemetry.AddAsync([
            FleetStoreContract.WithDrift(Record("calm", 1, Start), 0.0123, 0.04),
            FleetStoreContract.WithDrift(Record("shifted", 1, Start), 3.27, null),
            Record("plain", 1, Start),
        ], Start, CancellationToken.None);

        var page = await OverviewPage.RenderAsync(store, new DashboardOptions(), TimeProvider.System, CancellationToken.None);

        var html = WebUtility.HtmlDecode(string.Concat(page.Sections.Select(s => s.Html)));
        Assert.Contains("<th>drift KL/PSI</th>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"drift\">0.01/0.04</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"drift breach\">3.27/-</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"drift\"></td></tr>", html, StringComparison.Ordinal);
    }
}
