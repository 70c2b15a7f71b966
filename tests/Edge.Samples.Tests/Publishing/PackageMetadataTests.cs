using System.Diagnostics;
using System.Text.Json;
using Edge.TestUtilities;

namespace Edge.Samples.Tests.Publishing;

/// <summary>
/// The NuGet metadata of every packable project, read from MSBuild as `dotnet pack` would see it (evaluated properties,
/// plus the repository URL after the target that settles it) without packing anything: packing the tools takes minutes
/// and hundreds of MB, so their sizes are measured by `bench/run.sh packages` instead.
/// </summary>
public sealed class PackageMetadataTests
{
    private static readonly string[] Properties =
    [
        "IsPackable", "PackageId", "PackageLicenseExpression", "PackageReadmeFile", "PackageProjectUrl", "RepositoryUrl",
        "IncludeSymbols", "SymbolPackageFormat", "PackAsTool", "ToolCommandName", "ToolPackageRuntimeIdentifiers",
    ];

    public static TheoryData<string> PackableProjects => new() { "src/Edge.Sdk", "src/Edge.Packaging", "src/Edge.Onnx", "src/Edge.Optimizer", "src/Edge.Fleet" };

    [Theory]
    [MemberData(nameof(PackableProjects))]
    public async Task Pack_EveryPackableProject_HasLicenceReadmeAndRepositoryUrl(string project)
    {
        var properties = await EvaluateAsync(project);

        Assert.Equal("true", properties["IsPackable"]);
        Assert.Equal("MIT", properties["PackageLicenseExpression"]);
        Assert.Equal("README.md", properties["PackageReadmeFile"]);
        Assert.True(File.Exists(Path.Combine(TestData.RepositoryRoot, project, "README.md")), $"{project}/README.md is packed as the package's readme but does not exist.");
        Assert.StartsWith("https://", properties["PackageProjectUrl"], StringComparison.Ordinal);
        Assert.StartsWith("https://", properties["RepositoryUrl"], StringComparison.Ordinal);
        Assert.Contains("MIT License", await File.ReadAllTextAsync(Path.Combine(TestData.RepositoryRoot, "LICENSE")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("src/Edge.Sdk")]
    [InlineData("src/Edge.Packaging")]
    [InlineData("src/Edge.Onnx")]
    public async Task Pack_Library_AlsoWritesASymbolPackage(string project)
    {
        var properties = await EvaluateAsync(project);

        Assert.Equal("true", properties["IncludeSymbols"]);
        Assert.Equal("snupkg", properties["SymbolPackageFormat"]);
    }

    [Theory]
    [InlineData("src/Edge.Optimizer", "dotnet-edge-optimize")]
    [InlineData("src/Edge.Fleet", "dotnet-edge-fleet")]
    public async Task Pack_Tool_IsRunAsDotnetCommandAndPackedPerRuntimeIdentifier(string project, string command)
    {
        var properties = await EvaluateAsync(project);

        Assert.Equal("true", properties["PackAsTool"]);
        // "dotnet-" is what makes `dotnet edge-optimize` find the command; the README and usage hints rely on it.
        Assert.Equal(command, properties["ToolCommandName"]);
        var runtimeIdentifiers = properties["ToolPackageRuntimeIdentifiers"].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("linux-x64", runtimeIdentifiers);
        Assert.Contains("linux-arm64", runtimeIdentifiers);
    }

    /// <summary>
    /// Runs the pack target that settles the repository URL and reads <see cref="Properties"/> afterwards.
    /// </summary>
    private static async Task<Dictionary<string, string>> EvaluateAsync(string project)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = TestData.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "msbuild", project, "-nologo", "-t:_InitializeNuspecRepositoryInformationProperties", "-getProperty:" + string.Join(',', Properties) })
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's own MSBuild settings must not leak into the child build.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        start.Environment.Remove("MSBuildSDKsPath");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"dotnet msbuild {project} failed ({process.ExitCode}):\n{output}{await stderr}");
        using var json = JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]);
        return json.RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }
}
