namespace Edge.Quickstart.Optimization;

/// <summary>What was measured for one model in this run: file size, interleaved latency at one thread, top-1 accuracy.</summary>
internal sealed record ModelFigures(string Label, string Path, long Bytes, double P50Ms, double P95Ms, double Top1, double Agreement, int Samples);
