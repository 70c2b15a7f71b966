using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Quickstart.Reporting;

namespace Edge.Quickstart.Fleet;

/// <summary>Steps 6, 7, 9 and 10 as an operator types them: <c>edge-fleet groups add|monitor|deploy|status</c>.</summary>
internal sealed class FleetDriver(QuickstartOptions options, Workspace workspace, ToolRunner tools, LocalBroker broker, string fleet)
{
    public const string Group = "quickstart";

    /// <summary>
    /// The gate and KPI limits, looser on latency than a real fleet's defaults (1.2, 1.5, 20 %): every device here shares
    /// one busy machine, where the live p95 of a 0.03 ms model in two different windows differed 12.7x in one run.
    /// Golden samples, NaN/Inf and the error rate are judged exactly as on a fleet.
    /// </summary>
    public const string GateSettings = "gate: golden samples, no NaN/Inf, p95 <= 3x side by side; 2 s watch: errors <= 1 %, live p95 <= 50x; KPIs after each wave: p95 regression <= 200 %";

    private string[] Common => ["--state", workspace.FleetState, "--fleet", fleet, "--broker", broker.Address, "--job-key", workspace.OperatorPrivateKey];

    public async Task AddGroupAsync(IReadOnlyList<string> devices, CancellationToken cancellationToken) =>
        await tools.FleetAsync(["groups", "add", Group, "--devices", string.Join(',', devices), .. Common], cancellationToken);

    /// <summary>One frame of the live monitor after <paramref name="seconds"/> of ingesting telemetry (what a terminal would show).</summary>
    public async Task<IReadOnlyList<string>> MonitorFrameAsync(int seconds, CancellationToken cancellationToken)
    {
        var (_, output) = await tools.FleetAsync(["monitor", "--once", "--duration", $"{seconds}s", .. Common], cancellationToken);
        return output.Lines;
    }

    /// <summary>A wave rollout (a canary, then the rest) with the health-gate and KPI settings the quickstart explains, plus <paramref name="extra"/> deploy options.</summary>
    public async Task<RolloutResult> DeployAsync(string package, string version, Action<string> onEvent, CancellationToken cancellationToken, IReadOnlyList<string>? extra = null)
    {
        var clock = Stopwatch.StartNew();
        var (code, output) = await tools.FleetAsync(
            ["deploy", package, "--group", Group, "--waves", "1,100%", "--soak", $"{options.Soak.TotalSeconds:0}s", "--min-kpi-samples", "2",
             "--device-timeout", "120s", "--watch-seconds", "2", "--max-latency-ratio", "3", "--max-live-latency-ratio", "50",
             "--abort-latency-p95-regression", "200%",
             "--trust", workspace.PublicKey, .. extra ?? [], .. Common],
            cancellationToken,
            line => onEvent(line.StartsWith("edge-fleet: ", StringComparison.Ordinal) ? line["edge-fleet: ".Length..] : line),
            0,
            3);
        var seconds = clock.Elapsed.TotalSeconds;
        var id = output.Lines.First(l => l.StartsWith("deployment ", StringComparison.Ordinal)).Split(' ', ':')[1];
        var outcome = output.Lines.LastOrDefault(l => l.StartsWith(id + ":", StringComparison.Ordinal))?[(id.Length + 1)..].Trim() ?? "(no result line)";
        var (_, status) = await tools.FleetAsync(["status", id, "--json", .. Common], cancellationToken);
        var json = JsonNode.Parse(status.Text)!;
        var devices = json["devices"]!.AsArray()
            .Select(d => new DeviceOutcome(
                d!["device"]!.GetValue<string>(),
                d["wave"]!.GetValue<int>() + 1,
                d["state"]!.GetValue<string>(),
                d["reason"]?.GetValue<string>()))
            .OrderBy(d => d.Device, StringComparer.Ordinal)
            .ToList();
        var state = json["deployment"]?["state"]?.GetValue<string>() ?? (code == 0 ? "completed" : "aborted");
        return new RolloutResult(version, id, code, state, outcome, Math.Round(seconds, 1), devices);
    }

    public static string Seconds(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
