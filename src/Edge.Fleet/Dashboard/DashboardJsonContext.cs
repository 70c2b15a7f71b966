using System.Text.Json;
using System.Text.Json.Serialization;

namespace Edge.Fleet.Dashboard;

/// <summary>Source-generated JSON for the event stream's snapshots and action bodies (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DashboardSnapshot))]
[JsonSerializable(typeof(DashboardActionRequest))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
