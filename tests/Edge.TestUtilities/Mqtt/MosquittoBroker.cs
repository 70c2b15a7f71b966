using System.Diagnostics;
using System.Text;

namespace Edge.TestUtilities.Mqtt;

/// <summary>
/// Runs <c>mosquitto -c {generated config}</c> as a child process on a free loopback port, logging to stderr (kept for
/// failure messages). The config and any persistence live in a private temp folder; <c>user root</c> stops
/// Mosquitto from dropping to the <c>mosquitto</c> user, which could not read that folder. Stopped by PID.
/// </summary>
public sealed class MosquittoBroker : ITestBroker
{
    /// <summary>The Mosquitto executable; install it with eng/install-deps.sh.</summary>
    public const string Executable = "mosquitto";

    private readonly string _configPath;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private MosquittoBroker(string directory, int port, string configPath)
    {
        Directory = directory;
        Port = port;
        _configPath = configPath;
    }

    /// <inheritdoc />
    public string Kind => "mosquitto";

    /// <inheritdoc />
    public string Host => "127.0.0.1";

    /// <inheritdoc />
    public int Port { get; }

    /// <summary>The broker's private temp folder (config, persistence, certificates the test writes).</summary>
    public string Directory { get; }

    /// <summary>What the broker has written to stderr so far.</summary>
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

    /// <summary>
    /// Starts a broker with a plain anonymous listener, or with the listener section <paramref name="listenerConfig"/>
    /// builds from (port, folder). With <paramref name="persistence"/> the broker saves its state every second into
    /// its folder, so sessions and queued messages survive a kill -9 and restart. <paramref name="port"/> picks the
    /// port (default: a free one), for tests that start a client before the broker exists.
    /// </summary>
    public static async Task<MosquittoBroker> StartAsync(
        bool persistence = false,
        Func<int, string, string>? listenerConfig = null,
        int? port = null,
        CancellationToken cancellationToken = default)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("edge-mosquitto-").FullName;
        var listenerPort = port ?? FreePort.Next();
        var config = new StringBuilder()
            .AppendLine("user root")
            .AppendLine("log_dest stderr")
            .AppendLine("log_type error")
            .AppendLine("log_type warning")
            .AppendLine("log_type notice")
            .AppendLine("per_listener_settings false")
            .AppendLine("max_queued_messages 100000")
            .AppendLine("max_inflight_messages 0");
        if (persistence)
        {
            config.AppendLine("persistence true")
                .AppendLine($"persistence_location {directory}/")
                .AppendLine("autosave_interval 1");
        }
        else
        {
            config.AppendLine("persistence false");
        }

        config.AppendLine(listenerConfig?.Invoke(listenerPort, directory) ?? $"listener {listenerPort} 127.0.0.1\nallow_anonymous true");
        var configPath = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(configPath, config.ToString(), cancellationToken);
        var broker = new MosquittoBroker(directory, listenerPort, configPath);
        try
        {
            await broker.StartAgainAsync(cancellationToken);
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException($"Mosquitto is already running as PID {_process.Id} on port {Port}.");
        }

        _process?.Dispose();
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(_configPath);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null for mosquitto.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start '{Executable}': {e.Message}. Install it with eng/install-deps.sh.", e);
        }

        _process = process;
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(10), cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"Mosquitto did not listen on port {Port} within 10 s (exited: {process.HasExited}). Log:\n{Log}");
        }
    }

    /// <inheritdoc />
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(); // SIGKILL: no clean shutdown, no final persistence save.
            await process.WaitForExitAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is removed with the temp folder by the OS later.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
