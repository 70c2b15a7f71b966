using System.Text.Json.Nodes;
using Edge.Quickstart.Fleet;
using Edge.Quickstart.Optimization;

namespace Edge.Quickstart.Reporting;

/// <summary>Everything the run measured, for the closing table and for <c>summary.json</c> (schema <c>edge.quickstart/v1</c>).</summary>
internal sealed class QuickstartSummary
{
    public const string Schema = "edge.quickstart/v1";

    public IReadOnlyList<ModelFigures> Models { get; set; } = [];

    /// <summary>The label of v1 in <see cref="Models"/>: whatever <c>edge-optimize auto</c> chose.</summary>
    public const string V1Label = "v1";

    /// <summary>The candidate <c>auto</c> chose for v1 (<c>fp32</c> when nothing beat the original here).</summary>
    public string? V1Candidate { get; set; }

    public List<RolloutResult> Rollouts { get; } = [];

    public List<JsonObject> Swaps { get; } = [];

    /// <summary>The devices' own final counts (the app's calls, correct answers and failures per version).</summary>
    public List<JsonObject> Devices { get; } = [];

    public string? GateVerdict { get; set; }

    /// <summary>The canary's shadow verdict on v3.1 (agreement with v2 on live calls), as the fleet stored it.</summary>
    public string? ShadowVerdict { get; set; }

    public int TelemetryRecords { get; set; }

    public IReadOnlyDictionary<string, long> TelemetryCallsByVersion { get; set; } = new Dictionary<string, long>();

    public double WallSeconds { get; set; }

    public JsonObject ToJson(QuickstartOptions options, Workspace workspace) => new()
    {
        ["schema"] = Schema,
        ["model"] = options.ModelPath,
        ["data"] = options.Data,
        ["fast"] = options.Fast,
        ["output"] = workspace.Root,
        ["wall_s"] = WallSeconds,
        ["v1_candidate"] = V1Candidate,
        ["models"] = new JsonArray([.. Models.Select(m => (JsonNode)new JsonObject
        {
            ["label"] = m.Label,
            ["file"] = Path.GetFileName(m.Path),
            ["bytes"] = m.Bytes,
            ["p50_ms"] = Math.Round(m.P50Ms, 4),
            ["p95_ms"] = Math.Round(m.P95Ms, 4),
            ["top1"] = Math.Round(m.Top1, 4),
            ["agreement_with_original"] = Math.Round(m.Agreement, 4),
            ["samples"] = m.Samples,
        })]),
        ["rollouts"] = new JsonArray([.. Rollouts.Select(r => (JsonNode)new JsonObject
        {
            ["version"] = r.Version,
            ["deployment"] = r.DeploymentId,
            ["exit_code"] = r.ExitCode,
            ["state"] = r.State,
            ["outcome"] = r.Outcome,
            ["seconds"] = r.Seconds,
            ["devices"] = new JsonArray([.. r.Devices.Select(d => (JsonNode)new JsonObject
            {
                ["device"] = d.Device,
                ["wave"] = d.Wave,
                ["state"] = d.State,
                ["reason"] = d.Reason,
            })]),
        })]),
        ["swaps"] = new JsonArray([.. Swaps.Select(s => s.DeepClone())]),
        ["gate_verdict"] = GateVerdict,
        ["shadow_verdict"] = ShadowVerdict,
        ["telemetry"] = new JsonObject
        {
            ["records"] = TelemetryRecords,
            ["calls_by_version"] = new JsonObject(TelemetryCallsByVersion.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        },
        ["devices"] = new JsonArray([.. Devices.Select(d => d.DeepClone())]),
    };
}
