using System.Diagnostics;
using System.Text;

namespace Edge.Agent.Tests.Support;

/// <summary>The built <c>edge-agent</c> run as a real separate process (<c>dotnet edge-agent.dll ...</c>).</summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

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

    /// <summary>The agent assembly copied beside the test assembly by the project reference.</summary>
    public static string AssemblyPath
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "edge-agent.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The agent was not built next to the tests: '{path}'.", path);
        }
    }

    public static AgentProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        Start("dotnet", [AssemblyPath, .. arguments], environment);

    /// <summary>
    /// Starts <paramref name="executable"/> (the Native AOT <c>edge-agent</c>, or <c>dotnet</c>) with <paramref name="arguments"/>
    /// and, on top of this process's environment, <paramref name="environment"/>.
    /// </summary>
    public static AgentProcess Start(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new AgentProcess(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}."));
    }

    /// <summary>SIGKILL: no shutdown code runs, like a power cut for the process.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
