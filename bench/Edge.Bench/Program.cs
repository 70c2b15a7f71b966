using Edge.Bench.Harness;
using Edge.Optimizer.Reports;
using Edge.TestUtilities;

namespace Edge.Bench;

/// <summary>
/// Benchmark harness. <c>list</c> names the benchmarks; <c>run NAME... | all [--quick]</c> runs them, each measured
/// case in its own child process, and writes <c>bench/results/NAME.json</c>.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length >= 2 && args[0] == "--child")
        {
            var child = BenchmarkRegistry.Find(args[1]) ?? throw new ArgumentException($"Unknown benchmark '{args[1]}'.");
            Console.WriteLine(ReportJson.Text(child.RunChild(args[2..]), indented: false));
            return 0;
        }

        if (args.Length == 0 || args[0] is "list" or "--help" or "-h")
        {
            Console.WriteLine("usage: bench/run.sh NAME... | all [--quick]");
            foreach (var benchmark in BenchmarkRegistry.All)
            {
                Console.WriteLine($"  {benchmark.Name,-24} {benchmark.Description}");
            }

            return args.Length == 0 ? 2 : 0;
        }

        var quick = args.Contains("--quick");
        var names = args.Where(a => a != "--quick" && a != "run").ToList();
        var selected = names.Contains("all")
            ? BenchmarkRegistry.All.Where(b => b is not Benchmarks.Gpu.GpuBenchmark).ToList() // gpu needs its own build: bench/run.sh gpu
            : names.Select(n => BenchmarkRegistry.Find(n) ?? throw new ArgumentException($"Unknown benchmark '{n}'. Run 'bench/run.sh list'.")).ToList();

        // EDGE_BENCH_RESULTS (bench/run.sh sets it for another ONNX Runtime version) keeps such runs apart.
        var resultsDirectory = Environment.GetEnvironmentVariable("EDGE_BENCH_RESULTS") is { Length: > 0 } other
            ? Path.Combine(TestData.RepositoryRoot, other)
            : Path.Combine(TestData.RepositoryRoot, "bench", "results");
        var context = new BenchContext(TestData.Root, resultsDirectory, quick);
        foreach (var benchmark in selected)
        {
            Console.Error.WriteLine($"== {benchmark.Name}: {benchmark.Description}");
            var results = await benchmark.RunAsync(context, CancellationToken.None);
            var path = ResultWriter.Write(context, benchmark, results, TimeProvider.System);
            Console.WriteLine(ReportJson.Text(results, indented: true));
            Console.Error.WriteLine($"wrote {path}");
        }

        return 0;
    }
}
