using System.Text.Json.Serialization;
using Edge.Agent.Ota.Jobs;
using Edge.Agent.Ota.Slots;
using Edge.Agent.Ota.Transfer;

namespace Edge.Agent.Ota;

/// <summary>Source-generated JSON for the OTA files the agent keeps on disk (AOT-safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(SlotPointer))]
[JsonSerializable(typeof(SlotManifest))]
[JsonSerializable(typeof(JobRecord))]
[JsonSerializable(typeof(DataBudgetState))]
internal sealed partial class OtaStorageJsonContext : JsonSerializerContext;
