using System.Diagnostics;
using System.Globalization;
using System.Text;
using Edge.TestUtilities;

namespace Edge.Bench.Benchmarks.FleetScale;

/// <summary>
/// One real <c>edge-fleet serve</c> process: the Edge.Fleet executable built next to the bench, started with
/// <c>serve --store ... --fleet ... --broker 127.0.0.1 --port ... --instance ...</c>, awaited until it logs that it
/// is subscribed, and stopped with SIGTERM (a graceful stop: the batch in hand is stored and acknowledged).
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ServeProcess(Process process, string instance)
    {
        _process = process;
        Instance = instance;
    }

    public string Instance { get; }

    public int Id => _process.Id;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static string Executable => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Edge.Fleet.exe" : "Edge.Fleet");

    /// <param name="extra">More options, e.g. <c>--job-key</c> so the instance drives rollouts.</param>
    public static async Task<ServeProcess> StartAsync(string store, string fleet, int port, string instance, CancellationToken cancellationToken, params string[] extra)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments = ["serve", "--store", store, "--fleet", fleet, "--broker", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--instance", instance, .. extra];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["EDGE_TEST_DATA"] = TestData.Root;
        var serve = new ServeProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start edge-fleet serve."), instance);
        serve._process.OutputDataReceived += (_, e) => serve.Append(e.Data);
        serve._process.ErrorDataReceived += (_, e) => serve.Append(e.Data);
        serve._process.BeginOutputReadLine();
        serve._process.BeginErrorReadLine();
        var waited = Stopwatch.StartNew();
        while (!serve.Log.Contains("connected and subscribed", StringComparison.Ordinal))
        {
            if (serve._process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(90))
            {
                throw new InvalidOperationException($"edge-fleet serve {instance} did not subscribe (exited: {serve._process.HasExited}). Log:\n{serve.Log}");
            }

            await Task.Delay(100, cancellationToken);
        }

        return serve;
    }

    /// <summary>SIGTERM, then waits up to 60 s; returns the exit code (or -1 if it had to be killed).</summary>
    public async Task<int> StopAsync()
    {
        if (_process.HasExited)
        {
            return _process.ExitCode;
        }

        using (var signal = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
            return -1;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Length < 200_000)
            {
                _log.AppendLine(line);
            }
        }
    }
}
