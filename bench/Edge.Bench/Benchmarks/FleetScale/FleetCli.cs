using System.Runtime.InteropServices;
using Edge.Fleet.Cli;
using Edge.Packaging;
using Edge.TestUtilities;

namespace Edge.Bench.Benchmarks.FleetScale;

/// <summary>The operator's side of the fleet benchmarks: the real edge-fleet CLI run in this process, and the package it deploys.</summary>
internal static class FleetCli
{
    /// <summary>Runs <c>edge-fleet ARGS</c>; exit codes 0 and 3 (a rollout that aborted) are results, anything else throws.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await EdgeFleetCli.RunAsync(args, output, error);
        if (code is not (0 or 3))
        {
            throw new InvalidOperationException($"edge-fleet {string.Join(' ', args)} exited {code}: {error}");
        }

        return (code, output.ToString());
    }

    /// <summary>An unsigned mnist 2.0.0 package (deployed with --allow-unsigned).</summary>
    public static Task<PackageManifest> WriteUnsignedPackageAsync(string path) =>
        PackageWriter.WriteAsync(path, files => new PackageManifest
        {
            FormatVersion = PackageManifest.CurrentFormatVersion,
            Name = "mnist",
            Version = "2.0.0",
            CreatedUtc = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero),
            Tool = new PackageTool { Name = "edge-bench", Version = "0.1.0" },
            Target = new PackageTarget { Architectures = [RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()], ExecutionProviders = ["cpu"], MinimumSdkVersion = "0.1.0" },
            Files = files,
            Inputs = [new PackageTensorSignature { Name = "Input3", ElementType = "float32", Shape = [PackageDimension.Fixed(1), PackageDimension.Fixed(1), PackageDimension.Fixed(28), PackageDimension.Fixed(28)] }],
            Outputs = [new PackageTensorSignature { Name = "Plus214_Output_0", ElementType = "float32", Shape = [PackageDimension.Fixed(1), PackageDimension.Fixed(10)] }],
        }, [new PackageSourceFile("model/mnist.onnx", TestData.File("models/mnist/mnist.onnx"), PackageFileRole.Model)], [], CancellationToken.None);
}
