using System.Diagnostics;

namespace Edge.Bench.Benchmarks.Packages;

/// <summary>Runs the <c>dotnet</c> command line the way a user would, and fails with its output when it fails.</summary>
internal static class DotnetCli
{
    /// <summary>Runs <c>dotnet {arguments}</c> in <paramref name="workingDirectory"/> and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> TryRunAsync(
        string workingDirectory, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        return await TryRunAsync("dotnet", workingDirectory, arguments, environment, cancellationToken);
    }

    /// <summary>Runs <paramref name="program"/> (a path, or a name looked up on PATH) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> TryRunAsync(
        string program, string workingDirectory, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{program}'.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await output) + (await error));
    }

    /// <summary>Runs <c>dotnet {arguments}</c> and throws with the whole output unless it exits with 0.</summary>
    public static async Task<string> RunAsync(
        string workingDirectory, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await TryRunAsync(workingDirectory, arguments, environment, cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"'dotnet {string.Join(' ', arguments)}' in {workingDirectory} exited with {exitCode}:\n{output}");
        }

        return output;
    }
}
