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
        // A free port is only free until someone binds it: test assemblies run in parallel, so another broker or
        // client may take it between FreePort.Next and Mosquitto's bind. Mosquitto then exits with "Address already
        // in use", and the broker is started again on a new port (a port the test chose is never changed).
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var broker = await CreateAsync(persistence, listenerConfig, port ?? FreePort.Next(), cancellationToken);
            try
            {
                await broker.StartAgainAsync(cancellationToken);
                return broker;
            }
            catch (InvalidOperationException) when (port is null && attempt < attempts && broker.Log.Contains("Address already in use", StringComparison.Ordinal))
            {
                await broker.DisposeAsync();
            }
            catch
            {
                await broker.DisposeAsync();
                throw;
            }
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
        var logStart = Log.Length;
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        // Mosquitto logs "... running" once every listener is bound, or exits if one cannot be. Connecting alone is
        // not proof: if the bind failed, whoever holds the port would answer instead.
        var waited = Stopwatch.StartNew();
        while (Log.IndexOf(" running", logStart, StringComparison.Ordinal) < 0)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(cancellationToken); // drains the redirected stderr into the log
                throw new InvalidOperationException($"Mosquitto exited with code {process.ExitCode} before listening on port {Port}. Log:\n{Log}");
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"Mosquitto did not report running on port {Port} within 10 s. Log:\n{Log}");
            }

            await Task.Delay(10, cancellationToken);
        }

        try
        {
            await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(10), cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"Mosquitto did not listen on port {Port} within 10 s (exited: {process.HasExited}). Log:\n{Log}");
        }
    }

    private static async Task<MosquittoBroker> CreateAsync(bool persistence, Func<int, string, string>? listenerConfig, int listenerPort, CancellationToken cancellationToken)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("edge-mosquitto-").FullName;
        var config = new StringBuilder()
            .AppendLine("user root")
            .AppendLine("log_dest stderr")
            .AppendLine("log_type error")
            .AppendLine("log_type warning")
            .AppendLine("log_type notice")
            .AppendLine("log_type information") // "... running" once every listener is bound
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
        return new MosquittoBroker(directory, listenerPort, configPath);
    }

    /// <summary>
    /// Stops the broker with SIGTERM, as a service restart does: Mosquitto writes its persistence (sessions and
    /// queued messages) before it exits. A SIGKILL (<see cref="KillAsync"/>) instead loses whatever the broker
    /// acknowledged since its last autosave, which no publisher can recover without application-level acknowledgements.
    /// </summary>
    public async Task TerminateAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using var signal = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await signal.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
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
