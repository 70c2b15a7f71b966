using Edge.Agent.Ota.Health;

namespace Edge.Agent.Ota.Bench;

/// <summary>One model a bench times: its file, name, version, golden inputs and TensorRT engine cache.</summary>
internal sealed record BenchModel(string ModelPath, string Name, string Version, IReadOnlyList<GoldenSample> Samples, string EngineCacheDirectory);
