using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Edge.Bench.Benchmarks.Packages;

/// <summary>
/// Installs a tool package from a local feed the ways the README shows (tool path, global, local tool manifest), each in
/// its own temporary home, runs <c>--help</c> through every command form, and measures the installed folder.
/// </summary>
internal static class ToolInstall
{
    /// <summary>Packages whose files make up the optimizer's training stack (distillation only).</summary>
    private static readonly string[] TrainingPackagePrefixes = ["TorchSharp", "libtorch", "SharpZipLib"];

    /// <summary>Installs <paramref name="packageId"/> with <c>--tool-path</c> and measures what was installed.</summary>
    public static async Task<JsonObject> MeasureInstalledAsync(string packageId, string command, string feed, string work, CancellationToken cancellationToken)
    {
        var toolPath = Path.Combine(work, "tool-path", packageId);
        await DotnetCli.RunAsync(work, ["tool", "install", packageId, "--tool-path", toolPath, "--add-source", feed], null, cancellationToken);
        var (bytes, files) = FolderSize.Measure(toolPath);
        var (exitCode, _) = await DotnetCli.TryRunAsync(Path.Combine(toolPath, "dotnet-" + command), work, ["--help"], null, cancellationToken);
        var deps = Directory.GetFiles(toolPath, "*.deps.json", SearchOption.AllDirectories).Single();
        var byPackage = FolderSize.ByPackage(deps);
        var training = byPackage.Where(p => TrainingPackagePrefixes.Any(prefix => p.Package.StartsWith(prefix, StringComparison.Ordinal))).Sum(p => p.Bytes);
        var result = new JsonObject
        {
            ["runtime_identifier"] = RuntimeInformation.RuntimeIdentifier,
            ["installed_bytes"] = bytes,
            ["installed_files"] = files,
            ["help_exit_code"] = exitCode,
            ["largest_packages_bytes"] = FolderSize.Largest(byPackage, 6),
        };
        if (training > 0)
        {
            result["training_stack_bytes"] = training;
            result["installed_bytes_without_training_stack"] = bytes - training;
        }

        return result;
    }

    /// <summary>
    /// Exit codes of <c>--help</c> through each form a user might type, after a global install (with and without the
    /// global tools folder on PATH) and after a local tool-manifest install. 0 means the form works.
    /// </summary>
    public static async Task<JsonObject> CommandFormsAsync(string packageId, string command, string feed, string work, CancellationToken cancellationToken)
    {
        var home = Path.Combine(work, "forms-home-" + packageId);
        var project = Path.Combine(work, "forms-project-" + packageId);
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(project);
        var basePath = Environment.GetEnvironmentVariable("PATH") ?? "";
        var withoutTools = new Dictionary<string, string> { ["DOTNET_CLI_HOME"] = home, ["PATH"] = basePath };
        var withTools = new Dictionary<string, string> { ["DOTNET_CLI_HOME"] = home, ["PATH"] = basePath + ":" + Path.Combine(home, ".dotnet", "tools") };
        var forms = new JsonObject();

        await DotnetCli.RunAsync(work, ["tool", "install", "-g", packageId, "--add-source", feed], withoutTools, cancellationToken);
        forms[$"global: dotnet {command} (tools folder not on PATH)"] = await ExitCodeAsync("dotnet", [command, "--help"], work, withoutTools, cancellationToken);
        forms[$"global: dotnet {command}"] = await ExitCodeAsync("dotnet", [command, "--help"], work, withTools, cancellationToken);
        forms[$"global: dotnet-{command}"] = await ExitCodeAsync(Path.Combine(home, ".dotnet", "tools", "dotnet-" + command), ["--help"], work, withTools, cancellationToken);
        await DotnetCli.RunAsync(work, ["tool", "uninstall", "-g", packageId], withoutTools, cancellationToken);

        await DotnetCli.RunAsync(project, ["new", "tool-manifest"], withoutTools, cancellationToken);
        await DotnetCli.RunAsync(project, ["tool", "install", packageId, "--add-source", feed], withoutTools, cancellationToken);
        forms[$"local: dotnet {command}"] = await ExitCodeAsync("dotnet", [command, "--help"], project, withoutTools, cancellationToken);
        forms[$"local: dotnet tool run dotnet-{command}"] = await ExitCodeAsync("dotnet", ["tool", "run", "dotnet-" + command, "--", "--help"], project, withoutTools, cancellationToken);
        forms[$"local: dotnet tool run {command}"] = await ExitCodeAsync("dotnet", ["tool", "run", command, "--", "--help"], project, withoutTools, cancellationToken);
        return forms;
    }

    private static async Task<int> ExitCodeAsync(string program, string[] arguments, string directory, Dictionary<string, string> environment, CancellationToken cancellationToken)
    {
        try
        {
            return (await DotnetCli.TryRunAsync(program, directory, arguments, environment, cancellationToken)).ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 127; // no such program, as a shell reports it
        }
    }
}
