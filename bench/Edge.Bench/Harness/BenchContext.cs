using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Edge.Bench.Harness;

/// <summary>Services for a benchmark's parent side: where data lives, and how to run a case in a fresh process.</summary>
internal sealed class BenchContext
{
    public BenchContext(string dataRoot, string resultsDirectory, bool quick)
    {
        DataRoot = dataRoot;
        ResultsDirectory = resultsDirectory;
        Quick = quick;
    }

    /// <summary>The shared data folder (<c>EDGE_TEST_DATA</c> or <c>../shared</c>).</summary>
    public string DataRoot { get; }

    /// <summary>Where result JSON files go (<c>bench/results</c>).</summary>
    public string ResultsDirectory { get; }

    /// <summary>Fewer iterations, for a smoke run; results are marked as quick.</summary>
    public bool Quick { get; }

    /// <summary>
    /// Starts this executable again as <c>--child {benchmark} {arguments}</c> and parses the JSON object it prints
    /// on its last line of standard output. Each case therefore starts with a cold heap and its own peak memory.
    /// </summary>
    public async Task<JsonObject> RunChildAsync(IBenchmark benchmark, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find this process's executable path.");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (self.EndsWith("dotnet", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(typeof(BenchContext).Assembly.Location);
        }

        start.ArgumentList.Add("--child");
        start.ArgumentList.Add(benchmark.Name);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["EDGE_TEST_DATA"] = DataRoot;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{self}'.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = await stdout;
        var errors = await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"Benchmark child '{benchmark.Name} {string.Join(' ', arguments)}' exited with {process.ExitCode}: {errors.Trim()}");
        }

        var lastLine = output.TrimEnd().Split('\n')[^1];
        return JsonNode.Parse(lastLine)?.AsObject()
            ?? throw new InvalidOperationException($"Benchmark child printed no JSON object: '{lastLine}'.");
    }
}
