using System.Diagnostics;

namespace Edge.Agent.Tests.Support;

/// <summary>
/// The Native AOT <c>edge-agent</c>, published once per test run into a temporary folder (<c>dotnet publish -r
/// linux-x64</c>, as devices get it): the binary whose failures on bad input are not the JIT build's.
/// </summary>
public sealed class AotAgentBuild : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-agent-aot-").FullName;

    public string Executable => Path.Combine(_directory, "edge-agent");

    public async Task InitializeAsync()
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        foreach (var argument in new[] { "publish", Path.Combine(root, "src", "Edge.Agent"), "-c", "Release", "-r", "linux-x64", "-o", _directory, "-nologo", "-v:quiet" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0 || !File.Exists(Executable))
        {
            throw new InvalidOperationException($"dotnet publish -r linux-x64 (Native AOT) of edge-agent failed with exit code {process.ExitCode}: {(await output + await errors).Trim()}");
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Edge.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Edge.sln above '{AppContext.BaseDirectory}'; the AOT tests publish the agent from the repository.");
    }
}
