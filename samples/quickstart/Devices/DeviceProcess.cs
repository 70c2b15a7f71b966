using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Edge.Quickstart.Devices;

/// <summary>
/// Starts one device as a child process of this same program and follows its events. Stopping closes its standard
/// input (the device then prints its final counts and exits); a device that does not exit in time is killed.
/// </summary>
internal sealed class DeviceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _lock = new();
    private readonly List<JsonObject> _swaps = [];
    private readonly Queue<string> _errorTail = new();
    private readonly TaskCompletionSource<JsonObject> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<JsonObject> _final = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DeviceProcess(string id, Process process)
    {
        Id = id;
        _process = process;
    }

    public string Id { get; }

    public IReadOnlyList<JsonObject> Swaps
    {
        get
        {
            lock (_lock)
            {
                return [.. _swaps];
            }
        }
    }

    public static DeviceProcess Start(DeviceArguments arguments, Action<string>? log)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var (fileName, prefix) = Launcher();
        start.FileName = fileName;
        foreach (var arg in prefix.Concat(arguments.ToArgs()))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{fileName}' for device {arguments.Device}.");
        var device = new DeviceProcess(arguments.Device, process);
        process.OutputDataReceived += (_, e) => device.OnOutput(e.Data, log);
        process.ErrorDataReceived += (_, e) => device.OnError(e.Data, log);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return device;
    }

    /// <summary>Waits for the device to serve its first model; fails with the device's last error lines if it exits first.</summary>
    public async Task<JsonObject> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var exited = _process.WaitForExitAsync(cancellationToken);
        var first = await Task.WhenAny(_ready.Task, exited).WaitAsync(timeout, cancellationToken);
        if (first != _ready.Task)
        {
            throw new QuickstartException($"device {Id} exited with code {_process.ExitCode} before serving a model: {ErrorTail()}");
        }

        return await _ready.Task;
    }

    /// <summary>Stops the device and returns its final counts.</summary>
    public async Task<JsonObject> StopAsync(CancellationToken cancellationToken)
    {
        _process.StandardInput.Close();
        try
        {
            await _process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            throw new QuickstartException($"device {Id} did not stop within 30 s: {ErrorTail()}");
        }

        return _final.Task.IsCompleted
            ? await _final.Task
            : throw new QuickstartException($"device {Id} exited with code {_process.ExitCode} without its final counts: {ErrorTail()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    /// <summary>This program again: its own apphost when there is one, else the muxer running this assembly.</summary>
    private static (string FileName, string[] Prefix) Launcher()
    {
        var assembly = typeof(DeviceProcess).Assembly.Location;
        var apphost = Path.ChangeExtension(assembly, null);
        if (!OperatingSystem.IsWindows() && File.Exists(apphost))
        {
            return (apphost, []);
        }

        var current = Environment.ProcessPath;
        var muxer = current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        return (muxer, [assembly]);
    }

    private void OnOutput(string? line, Action<string>? log)
    {
        if (line is null)
        {
            return;
        }

        var payload = DeviceEvents.Parse(line);
        switch (payload?["event"]?.GetValue<string>())
        {
            case DeviceEvents.Ready:
                _ready.TrySetResult(payload!);
                break;
            case DeviceEvents.Swap:
                lock (_lock)
                {
                    _swaps.Add(payload!);
                }

                break;
            case DeviceEvents.Final:
                _final.TrySetResult(payload!);
                break;
            default:
                log?.Invoke($"{Id}: {line}");
                break;
        }
    }

    private void OnError(string? line, Action<string>? log)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _errorTail.Enqueue(line);
            if (_errorTail.Count > 5)
            {
                _errorTail.Dequeue();
            }
        }

        log?.Invoke($"{Id}: {line}");
    }

    private string ErrorTail()
    {
        lock (_lock)
        {
            return _errorTail.Count == 0 ? "(nothing on stderr)" : string.Join(" | ", _errorTail);
        }
    }
}
