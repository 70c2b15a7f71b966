using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Edge.Bench.Benchmarks.Packages;

/// <summary>
/// The smallest device app: a console project with a PackageReference to the freshly packed Edge.Sdk, which loads a
/// model and runs it once. Built in Release with and without a RuntimeIdentifier; measures its <c>bin</c> folder and
/// checks that the app runs from it. Edge.Sdk's package trims a build without a RuntimeIdentifier to the build
/// machine's platform (src/Edge.Sdk/buildTransitive/Edge.Sdk.targets); EdgeNativeRuntimeIdentifiers=all turns that off,
/// which is what an app got before.
/// </summary>
internal static class SdkConsoleApp
{
    private const string Program = """
        using Edge.Sdk.Inference;

        using var session = EdgeSession.Load(args[0], new EdgeSessionOptions { Provider = ExecutionProvider.Cpu });
        var output = new float[10];
        session.Run<float, float>(new float[28 * 28], output);
        Console.WriteLine($"{session.ModelName} ran on {session.Provider}");
        """;

    /// <summary>
    /// Builds the app in <paramref name="folder"/> against Edge.Sdk <paramref name="sdkVersion"/> from <paramref name="feed"/>,
    /// with <paramref name="runtimeIdentifier"/> (or none) and <paramref name="nativeRuntimeIdentifiers"/> (or the default),
    /// runs it on <paramref name="model"/> and measures <c>bin</c>.
    /// </summary>
    public static async Task<JsonObject> MeasureAsync(
        string folder, string feed, string sdkVersion, string? runtimeIdentifier, string? nativeRuntimeIdentifiers, string model, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var rid = runtimeIdentifier is null ? "" : $"<RuntimeIdentifier>{runtimeIdentifier}</RuntimeIdentifier>";
        var natives = nativeRuntimeIdentifiers is null ? "" : $"<EdgeNativeRuntimeIdentifiers>{nativeRuntimeIdentifiers}</EdgeNativeRuntimeIdentifiers>";
        await File.WriteAllTextAsync(Path.Combine(folder, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                {rid}
                {natives}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Edge.Sdk" Version="{sdkVersion}" />
              </ItemGroup>
            </Project>
            """, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "Program.cs"), Program, cancellationToken);
        await WriteIsolationFilesAsync(folder, feed, cancellationToken);

        await DotnetCli.RunAsync(folder, ["build", "-c", "Release", "-nologo"], null, cancellationToken);
        CheckRestoredFromFeed(folder, feed, sdkVersion);
        var bin = Path.Combine(folder, "bin");
        var (bytes, files) = FolderSize.Measure(bin);
        var dll = Directory.GetFiles(bin, "App.dll", SearchOption.AllDirectories).Single();
        var (exitCode, output) = await DotnetCli.TryRunAsync(folder, [dll, model], null, cancellationToken);
        var runtimes = Path.Combine(Path.GetDirectoryName(dll)!, "runtimes");
        return new JsonObject
        {
            ["runtime_identifier"] = runtimeIdentifier ?? "none (portable)",
            ["edge_native_runtime_identifiers"] = nativeRuntimeIdentifiers ?? "default",
            ["bin_bytes"] = bytes,
            ["bin_files"] = files,
            ["runtimes_folders"] = Directory.Exists(runtimes) ? Directory.GetDirectories(runtimes).Length : 0,
            ["ran"] = exitCode == 0,
            ["run_output"] = output.Trim().Split('\n')[^1],
        };
    }

    /// <summary>
    /// Keeps the app away from the repository's build settings (an empty Directory.Build.props/.targets/Packages.props)
    /// and restores Edge.Sdk into a private packages folder, so this run's package is used, never an older cached one
    /// with the same version; every other package comes from the machine's cache as a fallback folder.
    /// </summary>
    private static async Task WriteIsolationFilesAsync(string folder, string feed, CancellationToken cancellationToken)
    {
        foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            await File.WriteAllTextAsync(Path.Combine(folder, name), "<Project />\n", cancellationToken);
        }

        var machineCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } cache
            ? cache
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        await File.WriteAllTextAsync(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(folder, "packages")}" /></config>
              <fallbackPackageFolders><add key="machine" value="{machineCache}" /></fallbackPackageFolders>
              <packageSources><add key="edge-bench-feed" value="{feed}" /></packageSources>
            </configuration>
            """, cancellationToken);
    }

    /// <summary>Fails unless the restored Edge.Sdk is the package in <paramref name="feed"/> (same SHA-512).</summary>
    private static void CheckRestoredFromFeed(string folder, string feed, string sdkVersion)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "obj", "project.assets.json")));
        var restored = assets.RootElement.GetProperty("libraries").GetProperty($"Edge.Sdk/{sdkVersion}").GetProperty("sha512").GetString();
        using var package = File.OpenRead(Path.Combine(feed, $"Edge.Sdk.{sdkVersion}.nupkg"));
        var packed = Convert.ToBase64String(SHA512.HashData(package));
        if (restored != packed)
        {
            throw new InvalidOperationException($"The app restored an Edge.Sdk {sdkVersion} other than the one just packed (sha512 {restored} != {packed}).");
        }
    }
}
