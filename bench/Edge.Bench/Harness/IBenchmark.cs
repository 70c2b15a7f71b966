using System.Text.Json.Nodes;

namespace Edge.Bench.Harness;

/// <summary>
/// One benchmark. <see cref="RunAsync"/> runs in the parent process and orchestrates; every measured case runs
/// in a fresh child process through <see cref="BenchContext.RunChildAsync"/>, which calls <see cref="RunChild"/>.
/// </summary>
internal interface IBenchmark
{
    /// <summary>Short name, also the results file name: <c>bench/results/{Name}.json</c>.</summary>
    string Name { get; }

    /// <summary>One line saying what is measured and against what baseline.</summary>
    string Description { get; }

    /// <summary>Orchestrates the cases and returns the results object written to the JSON file.</summary>
    Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken);

    /// <summary>Runs one measured case inside a child process and returns its figures.</summary>
    JsonObject RunChild(IReadOnlyList<string> arguments);
}
