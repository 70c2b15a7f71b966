using System.Text.Json.Nodes;
using Edge.Bench.Benchmarks.Packages;
using Edge.Bench.Harness;
using Edge.TestUtilities;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// <c>packages</c>: what Edge costs to download and install. Packs the two tools and the two libraries as a user would
/// (<c>dotnet pack -c Release</c>), records every package's size (the tools' pointer package and each per-platform
/// package), installs each tool into a temporary tool path and measures the folder, checks which command forms run,
/// and measures the <c>bin</c> folder of a minimal console app that references Edge.Sdk, with and without a
/// RuntimeIdentifier. Sizes are bytes; nothing here is timed. Work happens under bench/results/tmp/packages.
/// </summary>
internal sealed class PackagesBenchmark : IBenchmark
{
    /// <summary>The goal for an installed edge-fleet (issue 21): 60 MB.</summary>
    private const long FleetInstalledGoalBytes = 60_000_000;

    private static readonly (string Project, string PackageId, string? Command)[] Packables =
    [
        ("src/Edge.Optimizer", "Edge.Optimizer", "edge-optimize"),
        ("src/Edge.Fleet", "Edge.Fleet", "edge-fleet"),
        ("src/Edge.Sdk", "Edge.Sdk", null),
        ("src/Edge.Onnx", "Edge.Onnx", null),
    ];

    public string Name => "packages";

    public string Description => "package sizes (pointer + per-RID nupkg), installed tool sizes, command forms, and bin size of a console app on Edge.Sdk with/without a RID";

    public async Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var work = Path.Combine(context.ResultsDirectory, "tmp", "packages");
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        var feed = Path.Combine(work, "feed");
        Directory.CreateDirectory(feed);
        try
        {
            var packages = new JsonObject();
            foreach (var (project, packageId, _) in Packables)
            {
                Console.Error.WriteLine($"packages: dotnet pack {project}");
                await DotnetCli.RunAsync(TestData.RepositoryRoot, ["pack", project, "-c", "Release", "-o", feed, "-nologo"], null, cancellationToken);
                packages[packageId] = PackageFiles(feed, packageId);
            }

            var installed = new JsonObject();
            foreach (var (_, packageId, command) in Packables.Where(p => p.Command is not null))
            {
                Console.Error.WriteLine($"packages: dotnet tool install {packageId}");
                installed[packageId] = await ToolInstall.MeasureInstalledAsync(packageId, command!, feed, work, cancellationToken);
            }

            var fleetBytes = (long)installed["Edge.Fleet"]!["installed_bytes"]!;
            installed["Edge.Fleet"]!["goal_bytes"] = FleetInstalledGoalBytes;
            installed["Edge.Fleet"]!["goal_met"] = fleetBytes <= FleetInstalledGoalBytes;

            Console.Error.WriteLine("packages: command forms of edge-fleet");
            var forms = await ToolInstall.CommandFormsAsync("Edge.Fleet", "edge-fleet", feed, work, cancellationToken);

            var model = Path.Combine(context.DataRoot, "models", "mnist", "mnist.onnx");
            var apps = new JsonObject();
            var machine = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
            foreach (var (name, runtimeIdentifier, natives) in new (string, string?, string?)[]
            {
                ("portable", null, null),
                ("portable_all_natives", null, "all"),
                ("portable_two_platforms", null, "linux-x64;linux-arm64"),
                (machine, machine, null),
            })
            {
                Console.Error.WriteLine($"packages: console app on Edge.Sdk ({name})");
                apps[name] = await SdkConsoleApp.MeasureAsync(Path.Combine(work, "app-" + name), feed, "0.1.0", runtimeIdentifier, natives, model, cancellationToken);
            }

            return new JsonObject
            {
                ["packages"] = packages,
                ["installed_tools"] = installed,
                ["command_forms_exit_codes"] = forms,
                ["sdk_console_app"] = apps,
            };
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    public JsonObject RunChild(IReadOnlyList<string> arguments) =>
        throw new NotSupportedException("'packages' measures files on disk from the parent process; it has no child cases.");

    /// <summary>Every file of <paramref name="packageId"/> in the feed (its own id, or its id plus a runtime identifier).</summary>
    private static JsonObject PackageFiles(string feed, string packageId)
    {
        var files = new JsonObject();
        long total = 0;
        foreach (var file in new DirectoryInfo(feed).GetFiles(packageId + ".*").Where(f => IsPackageOf(f.Name, packageId)).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            files[file.Name] = file.Length;
            total += file.Extension == ".nupkg" ? file.Length : 0;
        }

        return new JsonObject { ["files_bytes"] = files, ["nupkg_total_bytes"] = total };
    }

    /// <summary>"Edge.Sdk.0.1.0.nupkg" and "Edge.Fleet.linux-x64.0.1.0.nupkg" belong to their ids; "Edge.Sdk.Foo.0.1.0.nupkg" would not.</summary>
    private static bool IsPackageOf(string fileName, string packageId)
    {
        var rest = fileName[(packageId.Length + 1)..];
        return char.IsAsciiDigit(rest[0]) || rest.StartsWith("linux-", StringComparison.Ordinal) || rest.StartsWith("osx-", StringComparison.Ordinal) || rest.StartsWith("win-", StringComparison.Ordinal);
    }
}
