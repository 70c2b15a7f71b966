using System.Diagnostics;
using System.Globalization;
using System.Text;
using Edge.Fleet.Tests.Simulation;

namespace Edge.Fleet.Tests.Serving;

/// <summary>The built <c>edge-fleet serve</c> run as a real separate process (<c>dotnet Edge.Fleet.dll serve ...</c>).</summary>
internal sealed class ServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServeProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>serve</c> with <paramref name="arguments"/> and waits until it is subscribed.</summary>
    public static async Task<ServeProcess> StartAsync(IEnumerable<string> arguments)
    {
        var assembly = AssemblyPath();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("serve");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var serve = new ServeProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
        await FleetToolHarness.WaitUntilAsync(
            () => serve.Output.Contains("connected and subscribed", StringComparison.Ordinal) || serve._process.HasExited,
            TimeSpan.FromSeconds(60),
            () => $"serve did not subscribe; its output:\n{serve.Output}");
        Assert.False(serve._process.HasExited, $"serve exited {(serve._process.HasExited ? serve._process.ExitCode : 0)}:\n{serve.Output}");
        return serve;
    }

    /// <summary>
    /// edge-fleet's own build output (…/src/Edge.Fleet/bin/{configuration}/{framework}), not the copy beside the tests:
    /// the tests run on the ASP.NET Core shared framework (the agent needs it), so the Microsoft.Extensions.Hosting
    /// assemblies edge-fleet ships are not copied here and its copy would not start.
    /// </summary>
    private static string AssemblyPath()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var repository = here.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var assembly = Path.Combine(repository, "src", "Edge.Fleet", "bin", configuration, framework, "Edge.Fleet.dll");
        Assert.True(File.Exists(assembly), $"edge-fleet's build output was not found at '{assembly}'");
        return assembly;
    }

    /// <summary>SIGKILL: no shutdown code runs, no batch is finished, nothing more is acknowledged.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGTERM, as <c>systemctl stop</c> sends; returns the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
