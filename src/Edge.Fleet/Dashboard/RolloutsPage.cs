using System.Text;
using Edge.Fleet.Deployments;
using Edge.Fleet.Storage;
using static Edge.Fleet.Dashboard.DashboardHtml;

namespace Edge.Fleet.Dashboard;

/// <summary>
/// Rollouts: the list (<c>/rollouts</c>) and one deployment (<c>/rollouts/{id}</c>) with its waves, per-device job
/// states, and its events, which hold the KPI figures each wave was judged on and any abort reason.
/// </summary>
internal static class RolloutsPage
{
    public static async Task<DashboardPage> RenderListAsync(IFleetStore store, CancellationToken cancellationToken)
    {
        var html = new StringBuilder("<table><tr><th>deployment</th><th>state</th><th>package</th><th>group</th><th>wave</th><th>reason</th><th>updated</th></tr>");
        foreach (var d in (await store.Deployments.ListAsync(cancellationToken)).Reverse())
        {
            html.Append("<tr data-deployment=\"").Append(Encode(d.Id)).Append("\"><td><a href=\"/rollouts/").Append(Segment(d.Id)).Append("\">").Append(Encode(d.Id))
                .Append("</a></td><td>").Append(Encode(d.State)).Append("</td><td>").Append(Encode($"{d.PackageName} {d.PackageVersion}"))
                .Append("</td><td>").Append(Encode(d.Group)).Append("</td><td>").Append(d.CurrentWave + 1).Append("</td><td>").Append(Encode(d.Reason))
                .Append("</td><td>").Append(Time(d.Updated)).Append("</td></tr>");
        }

        html.Append("</table>");
        return new DashboardPage("Rollouts", [("rollouts", html.ToString())]);
    }

    /// <summary>The page, or null for an unknown deployment.</summary>
    public static async Task<DashboardPage?> RenderAsync(IFleetStore store, string id, bool actionsEnabled, CancellationToken cancellationToken)
    {
        if (await store.Deployments.FindAsync(id, cancellationToken) is not { } d)
        {
            return null;
        }

        var devices = await store.Deployments.DevicesAsync(id, cancellationToken);
        var events = await store.Deployments.EventsAsync(id, cancellationToken);
        var o = d.Options;
        var summary = new StringBuilder("<table>");
        Row(summary, "state", d.State, "rollout-state");
        Row(summary, "reason", d.Reason, "rollout-reason");
        Row(summary, "package", $"{d.PackageName} {d.PackageVersion}");
        Row(summary, "group", d.Group);
        Row(summary, "wave", $"{d.CurrentWave + 1} of {devices.Select(r => r.Wave).DefaultIfEmpty(0).Max() + 1} ({d.WaveState ?? "—"})");
        Row(summary, "abort rules", $"failure rate {Percent(o.AbortFailureRate)}, p95 regression {Percent(o.AbortLatencyP95Regression)}, error rate {Percent(o.AbortErrorRate)}, soak {o.Soak}"
            + (o.Shadow is { } shadow ? $", pooled shadow agreement below {Number(shadow.MinAgreement, "0.###")}" : string.Empty));
        if (o.Shadow is { } request)
        {
            Row(summary, "shadow", ShadowTally.Describe(request), "rollout-shadow");
        }

        Row(summary, "created / updated", $"{Time(d.Created)} / {Time(d.Updated)}");
        Row(summary, "driven by", d.LeaseOwner is null ? "— (no lease held)" : $"{d.LeaseOwner} (lease until {Time(d.LeaseExpires)})", "rollout-holder");
        summary.Append("</table>");

        var waves = new StringBuilder("<h2>Waves</h2>");
        foreach (var wave in devices.GroupBy(r => r.Wave).OrderBy(g => g.Key))
        {
            var pooled = ShadowTally.DescribeWave(wave) is { } agreement ? $" — shadow agreement {agreement}" : string.Empty;
            waves.Append("<h3>Wave ").Append(wave.Key + 1).Append(Encode(pooled)).Append("</h3><table><tr><th>device</th><th>state</th><th>progress</th><th>shadow</th><th>reason</th><th>previous</th><th>finished</th></tr>");
            foreach (var r in wave)
            {
                waves.Append("<tr data-device=\"").Append(Encode(r.Device)).Append("\"><td><a href=\"/devices/").Append(Segment(r.Device)).Append("\">").Append(Encode(r.Device))
                    .Append("</a></td><td>").Append(Encode(r.State)).Append("</td><td>").Append(r.Progress is null ? "—" : Number(r.Progress, "F0") + "%")
                    .Append("</td><td class=\"shadow\">").Append(Encode(ShadowTally.Describe(r) ?? "—")).Append("</td><td>").Append(Encode(r.Reason)).Append("</td><td>").Append(Encode(r.PreviousVersion)).Append("</td><td>").Append(Time(r.Finished)).Append("</td></tr>");
            }

            waves.Append("</table>");
        }

        // The engine records the figures each wave was judged on as events ("KPIs within limits: ...", "aborted on ...").
        var log = new StringBuilder("<h2>Events</h2><ol>");
        foreach (var (at, message) in events)
        {
            var kpi = message.Contains("KPIs", StringComparison.Ordinal) || message.StartsWith("aborted", StringComparison.Ordinal);
            log.Append(kpi ? "<li class=\"kpi\">" : "<li>").Append(Time(at)).Append(" — ").Append(Encode(message)).Append("</li>");
        }

        log.Append("</ol>");
        var open = d.State is RolloutStates.Running or RolloutStates.Paused;
        var reasonField = open ? ReasonField(actionsEnabled, "abort-reason") : string.Empty;
        return new DashboardPage($"Rollout {id}",
            [("rollout", summary.ToString()), ("controls", Controls(d, devices, actionsEnabled)), ("waves", waves.ToString()), ("events", log.ToString())], reasonField);
    }

    /// <summary>
    /// The buttons the deployment's state allows, in a live section so they follow the state: pause and abort while
    /// running; start (nothing published yet) or resume, and abort, while paused; roll back while running, paused,
    /// aborted or completed, when the deployment has a rollback package.
    /// </summary>
    private static string Controls(DeploymentRecord d, IReadOnlyList<DeviceRollout> devices, bool actionsEnabled)
    {
        var path = $"/api/rollouts/{Uri.EscapeDataString(d.Id)}/";
        var html = new StringBuilder();
        if (d.State == RolloutStates.Running)
        {
            html.Append(ActionButton(actionsEnabled, "pause", "Pause rollout", path + "pause"));
        }

        if (d.State == RolloutStates.Paused)
        {
            var started = devices.Any(r => r.State != RolloutStates.Pending);
            html.Append(ActionButton(actionsEnabled, "resume", started ? "Resume rollout" : "Start rollout", path + "resume"));
        }

        if (d.State is RolloutStates.Running or RolloutStates.Paused)
        {
            html.Append(ActionButton(actionsEnabled, "abort", "Abort rollout", path + "abort", "abort-reason"));
        }

        if (d.Options.RollbackPackage is not null && d.State is RolloutStates.Running or RolloutStates.Paused or RolloutStates.Aborted or RolloutStates.Completed)
        {
            html.Append(ActionButton(actionsEnabled, "rollback", "Roll back", path + "rollback"));
        }

        return html.ToString();
    }

    private static string Percent(double? fraction) => fraction is { } f ? Number(f * 100, "F1") + "%" : "off";

    private static void Row(StringBuilder html, string name, string? value, string? id = null) =>
        html.Append("<tr><th>").Append(Encode(name)).Append("</th><td").Append(id is null ? ">" : $" id=\"{id}\">").Append(Encode(value)).Append("</td></tr>");
}
