using System.Text;
using Edge.Fleet.Storage;
using static Edge.Fleet.Dashboard.DashboardHtml;

namespace Edge.Fleet.Dashboard;

/// <summary>
/// One device (<c>/devices/{id}</c>): facts and installed model, p50/p95 latency over time, the latest samples (errors,
/// CPU, memory, temperature) and its recent deployment jobs.
/// </summary>
internal static class DevicePage
{
    private const int RecentSamples = 10;
    private const int RecentDeployments = 20;

    /// <summary>The page, or null when neither the inventory nor the telemetry of the window knows the device.</summary>
    public static async Task<DashboardPage?> RenderAsync(
        IFleetStore store, DashboardOptions options, TimeProvider time, string id, bool actionsEnabled, CancellationToken cancellationToken)
    {
        var device = (await store.Inventory.LoadAsync(cancellationToken)).FirstOrDefault(d => d.Device == id);
        var rows = await store.Telemetry.QueryAsync(time.GetUtcNow() - options.Window, [id], cancellationToken);
        if (device is null && rows.Count == 0)
        {
            return null;
        }

        var facts = new StringBuilder("<table>");
        Fact(facts, "state", device is null ? "not in the inventory" : device.Online ? "online" : $"offline ({device.Reason})");
        Fact(facts, "installed model", device?.Models.Count > 0 ? string.Join(", ", device.Models.Select(m => $"{m.Name}@{m.Version}")) : null);
        Fact(facts, "board", device?.Board);
        Fact(facts, "os / architecture", device is null ? null : $"{device.Os} / {device.Architecture}");
        Fact(facts, "agent / sdk", device is null ? null : $"{device.AgentVersion} / {device.SdkVersion}");
        Fact(facts, "last seen", Time(device?.LastSeen));
        Fact(facts, "labels", device is null ? null : string.Join(", ", device.Labels.Select(l => $"{l.Key}={l.Value}")));
        var reasons = BreachRule.Reasons(rows, options.MaxP95Ms);
        Fact(facts, "KPI breach", reasons.Count == 0 ? "none" : string.Join("; ", reasons));
        facts.Append("</table>");

        var samples = new StringBuilder("<h2>Latest samples</h2><table><tr><th>at</th><th>model</th><th>calls</th><th>errors</th><th>p50 ms</th><th>p95 ms</th>"
            + "<th>CPU %</th><th>memory MB</th><th>temperature °C</th></tr>");
        foreach (var row in rows.TakeLast(RecentSamples).Reverse())
        {
            samples.Append("<tr><td>").Append(Time(row.At)).Append("</td><td>").Append(Encode(row.Model.Length == 0 ? "—" : $"{row.Model}@{row.Version}"))
                .Append("</td><td>").Append(Encode(row.Calls?.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .Append("</td><td").Append(row.Errors is > 0 ? " class=\"breach\">" : ">").Append(Encode(row.Errors?.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .Append("</td><td>").Append(Number(row.P50Ms, "F2")).Append("</td><td>").Append(Number(row.P95Ms, "F2"))
                .Append("</td><td>").Append(Number(row.CpuPercent)).Append("</td><td>").Append(Number(row.MemoryUsedBytes / 1e6, "F0"))
                .Append(" / ").Append(Number(row.MemoryTotalBytes / 1e6, "F0")).Append("</td><td>").Append(Number(row.TemperatureCelsius)).Append("</td></tr>");
        }

        samples.Append("</table>");

        var jobs = new StringBuilder("<h2>Recent jobs</h2><table><tr><th>deployment</th><th>package</th><th>wave</th><th>state</th><th>reason</th><th>finished</th></tr>");
        foreach (var deployment in (await store.Deployments.ListAsync(cancellationToken)).TakeLast(RecentDeployments).Reverse())
        {
            var rollouts = await store.Deployments.DevicesAsync(deployment.Id, cancellationToken);
            foreach (var rollout in rollouts.Where(r => r.Device == id))
            {
                jobs.Append("<tr><td><a href=\"/rollouts/").Append(Segment(deployment.Id)).Append("\">").Append(Encode(deployment.Id)).Append("</a></td><td>")
                    .Append(Encode($"{deployment.PackageName} {deployment.PackageVersion}")).Append("</td><td>").Append(rollout.Wave + 1)
                    .Append("</td><td>").Append(Encode(rollout.State)).Append("</td><td>").Append(Encode(rollout.Reason))
                    .Append("</td><td>").Append(Time(rollout.Finished)).Append("</td></tr>");
            }
        }

        jobs.Append("</table>");
        var chart = "<h2>Latency</h2>" + LatencyChart.Svg(rows);
        var forget = $"/api/devices/{Uri.EscapeDataString(id)}/forget";
        var actions = ActionButton(actionsEnabled, "forget", "Forget this device", forget)
            + " " + ActionButton(actionsEnabled, "forget-force", "Forget even if online", forget + "?force=true");
        return new DashboardPage($"Device {id}", [("facts", facts.ToString()), ("chart", chart), ("samples", samples.ToString()), ("jobs", jobs.ToString())], actions);
    }

    private static void Fact(StringBuilder html, string name, string? value) =>
        html.Append("<tr><th>").Append(Encode(name)).Append("</th><td>").Append(Encode(value)).Append("</td></tr>");
}
