using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Edge.Optimizer.Reports;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Bench.Harness;

/// <summary>Writes <c>bench/results/{name}.json</c> with the machine and commit the figures came from.</summary>
internal static class ResultWriter
{
    public static string Write(BenchContext context, IBenchmark benchmark, JsonObject results, TimeProvider time)
    {
        var document = new JsonObject
        {
            ["benchmark"] = benchmark.Name,
            ["description"] = benchmark.Description,
            ["measured_at_utc"] = time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["quick"] = context.Quick,
            ["machine"] = Machine(),
            ["git_commit"] = GitCommit(),
            ["results"] = results,
        };
        Directory.CreateDirectory(context.ResultsDirectory);
        var path = Path.Combine(context.ResultsDirectory, benchmark.Name + ".json");
        File.WriteAllText(path, ReportJson.Write(document));
        return path;
    }

    private static JsonObject Machine() => new()
    {
        ["os"] = RuntimeInformation.OSDescription,
        ["architecture"] = RuntimeInformation.ProcessArchitecture.ToString(),
        ["cpu"] = CpuModel(),
        ["logical_cores"] = Environment.ProcessorCount,
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["onnx_runtime"] = OrtEnv.Instance().GetVersionString(),
#if EDGE_GPU
        ["onnx_runtime_package"] = "Microsoft.ML.OnnxRuntime.Gpu",
#else
        ["onnx_runtime_package"] = "Microsoft.ML.OnnxRuntime",
#endif
        ["load_average"] = LoadAverage(),
    };

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (File.Exists(cpuInfo))
        {
            var line = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null)
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }

        return "unknown";
    }

    private static string GitCommit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (git is null)
            {
                return "unknown";
            }

            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : "unknown";
        }
#pragma warning disable CA1031 // A missing git only loses the commit stamp.
        catch (Exception)
#pragma warning restore CA1031
        {
            return "unknown";
        }
    }
}
