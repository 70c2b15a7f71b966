using System.Text;
using Edge.Fleet.Storage;
using static Edge.Fleet.Dashboard.DashboardHtml;

namespace Edge.Fleet.Dashboard;

/// <summary>The fleet overview (<c>/</c>): online and offline counts, model versions, devices breaching KPIs, every device.</summary>
internal static class OverviewPage
{
    public static async Task<DashboardPage> RenderAsync(IFleetStore store, DashboardOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var jobs = await store.Deployments.OpenJobsAsync(cancellationToken);
        var devices = (await store.Inventory.LoadAsync(cancellationToken))
            .Select(d => jobs.TryGetValue(d.Device, out var job) ? d with { OpenJob = job } : d)
            .ToList();
        var rows = await store.Telemetry.QueryAsync(time.GetUtcNow() - options.Window, null, cancellationToken);
        var byDevice = rows.GroupBy(r => r.Device, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var breaches = devices
            .Select(d => (d.Device, Reasons: BreachRule.Reasons(byDevice.GetValueOrDefault(d.Device) ?? [], options.MaxP95Ms)))
            .Where(b => b.Reasons.Count > 0)
            .ToList();

        var drift = (await store.Telemetry.LatestDriftAsync(cancellationToken)).ToDictionary(d => d.Device, d => d.Figures, StringComparer.Ordinal);
        var online = devices.Count(d => d.Online);
        var summary = $"<p><span id=\"count-total\">{devices.Count}</span> devices: <span id=\"count-online\" class=\"online\">{online}</span> online, "
            + $"<span id=\"count-offline\" class=\"offline\">{devices.Count - online}</span> offline, "
            + $"<span id=\"count-breaching\" class=\"breach\">{breaches.Count}</span> breaching KPIs "
            + $"(errors &gt; 0 or p95 above {Number(options.MaxP95Ms)} ms in the latest sample of the last {Encode(options.Window.ToString())}).</p>";

        var versions = new StringBuilder("<h2>Model versions</h2><table><tr><th>model</th><th>devices</th></tr>");
        foreach (var group in devices.GroupBy(d => d.ActiveModel ?? "(none)").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            versions.Append("<tr><td>").Append(Encode(group.Key)).Append("</td><td>").Append(group.Count()).Append("</td></tr>");
        }

        versions.Append("</table>");

        var breaching = new StringBuilder("<h2>Breaching KPIs</h2>");
        if (breaches.Count == 0)
        {
            breaching.Append("<p>none</p>");
        }
        else
        {
            breaching.Append("<ul>");
            foreach (var (device, reasons) in breaches)
            {
                breaching.Append("<li class=\"breach\"><a href=\"/devices/").Append(Segment(device)).Append("\">").Append(Encode(device)).Append("</a>: ")
                    .Append(Encode(string.Join("; ", reasons))).Append("</li>");
            }

            breaching.Append("</ul>");
        }

        var table = new StringBuilder("<h2>Devices</h2><table><tr><th>device</th><th>state</th><th>model</th><th>board</th><th>agent</th><th>last seen</th><th>open job</th><th>drift KL/PSI</th></tr>");
        foreach (var device in devices)
        {
            var state = device.Online ? "<span class=\"online\">online</span>" : $"<span class=\"offline\">offline {Encode(device.Reason)}</span>";
            table.Append("<tr data-device=\"").Append(Encode(device.Device)).Append("\"><td><a href=\"/devices/").Append(Segment(device.Device)).Append("\">")
                .Append(Encode(device.Device)).Append("</a></td><td>").Append(state).Append("</td><td>").Append(Encode(device.ActiveModel))
                .Append("</td><td>").Append(Encode(device.Board)).Append("</td><td>").Append(Encode(device.AgentVersion))
                .Append("</td><td>").Append(Time(device.LastSeen)).Append("</td><td>").Append(Encode(device.OpenJob)).Append("</td>").Append(DriftCell(drift.GetValueOrDefault(device.Device))).Append("</tr>");
        }

        table.Append("</table>");
        return new DashboardPage("Fleet", [("summary", summary), ("versions", versions.ToString()), ("breaches", breaching.ToString()), ("devices", table.ToString())]);
    }

    /// <summary>
    /// The device's latest input distance and confidence PSI (docs/agent.md, "Drift"), class <c>breach</c> above
    /// <c>edge-fleet monitor</c>'s default thresholds; empty when the device reports no drift.
    /// </summary>
    private static string DriftCell(DriftFigures? figures)
    {
        if (figures is null)
        {
            return "<td class=\"drift\"></td>";
        }

        var breached = figures.InputDistance > Monitoring.MonitorThresholds.DefaultMaxDriftInput || figures.ConfidencePsi > Monitoring.MonitorThresholds.DefaultMaxDriftConfidencePsi;
        var text = (figures.InputDistance is { } d ? Number(d, "F2") : "-") + "/" + (figures.ConfidencePsi is { } p ? Number(p, "F2") : "-");
        return $"<td class=\"drift{(breached ? " breach" : "")}\">{text}</td>";
    }
}
