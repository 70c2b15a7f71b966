namespace Edge.Bench.Harness;

/// <summary>Every benchmark the harness knows. Each capability adds its own here.</summary>
internal static class BenchmarkRegistry
{
    public static IReadOnlyList<IBenchmark> All { get; } =
    [
        new Benchmarks.PreprocessBenchmark(),
        new Benchmarks.SdkAccuracyBenchmark(),
        new Benchmarks.PackageVerifyBenchmark(),
        new Edge.Bench.Benchmarks.OnnxLoadSaveBenchmark(),
        new Benchmarks.SdkOverheadBenchmark(),
        new Benchmarks.QuantizeBenchmark(),
        new Benchmarks.AutoBenchmark(),
        new Benchmarks.AgentResourcesBenchmark(),
        new Benchmarks.AgentOpenTelemetryBenchmark(),
        new Benchmarks.AgentThroughputBenchmark(),
        new Benchmarks.AgentStartupBenchmark(),
        new Benchmarks.AgentSoakBenchmark(),
        new Benchmarks.PruneBenchmark(),
        new Benchmarks.DistillBenchmark(),
        new Benchmarks.FleetScale.FleetScaleBenchmark(),
        new Benchmarks.OtaTransferBenchmark(),
        new Benchmarks.OtaSwitchBenchmark(),
        new Benchmarks.DeviceBenchBenchmark(),
        new Benchmarks.ShadowCostBenchmark(),
        new Benchmarks.ObserverCostBenchmark(),
        new Benchmarks.PackagesBenchmark(),
        new Benchmarks.LocalHttpBenchmark(),
        new Benchmarks.Gpu.GpuBenchmark(),
    ];

    public static IBenchmark? Find(string name) =>
        All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase));
}
