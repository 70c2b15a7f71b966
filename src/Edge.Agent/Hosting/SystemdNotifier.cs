using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Edge.Agent.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Agent.Hosting;

/// <summary>
/// Speaks the systemd notify protocol when run under <c>Type=notify</c>: READY=1 once the host started, WATCHDOG=1
/// at half of <c>WatchdogSec</c> while the telemetry loop is alive (<see cref="IsLoopAlive"/>), STOPPING=1 on
/// shutdown. Does nothing when <c>NOTIFY_SOCKET</c> is unset.
/// </summary>
internal sealed partial class SystemdNotifier : BackgroundService
{
    /// <summary>Allowance on top of three telemetry intervals for a slow sample or outbox write (fsync on an SD card).</summary>
    public static readonly TimeSpan StallGrace = TimeSpan.FromSeconds(30);

    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly LoopHeartbeat _heartbeat;
    private readonly TelemetrySchedule _schedule;
    private readonly ILogger<SystemdNotifier> _logger;
    private readonly string? _socketPath;
    private readonly string? _watchdogMicroseconds;

    public SystemdNotifier(IHostApplicationLifetime lifetime, TimeProvider time, LoopHeartbeat heartbeat, TelemetrySchedule schedule, ILogger<SystemdNotifier> logger)
        : this(lifetime, time, heartbeat, schedule, logger, Environment.GetEnvironmentVariable("NOTIFY_SOCKET"), Environment.GetEnvironmentVariable("WATCHDOG_USEC"))
    {
    }

    /// <summary>For tests: the socket and watchdog period systemd would pass in <c>NOTIFY_SOCKET</c> and <c>WATCHDOG_USEC</c>.</summary>
    internal SystemdNotifier(
        IHostApplicationLifetime lifetime,
        TimeProvider time,
        LoopHeartbeat heartbeat,
        TelemetrySchedule schedule,
        ILogger<SystemdNotifier> logger,
        string? socketPath,
        string? watchdogMicroseconds)
    {
        _lifetime = lifetime;
        _time = time;
        _heartbeat = heartbeat;
        _schedule = schedule;
        _logger = logger;
        _socketPath = socketPath;
        _watchdogMicroseconds = watchdogMicroseconds;
    }

    /// <summary>
    /// Whether the telemetry loop counts as alive: it went round within three intervals plus <see cref="StallGrace"/>.
    /// Being offline does not matter; the loop samples into the outbox either way.
    /// </summary>
    public static bool IsLoopAlive(TimeSpan sinceLastBeat, TimeSpan telemetryInterval) =>
        sinceLastBeat <= (telemetryInterval * 3) + StallGrace;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        Notify("STOPPING=1");
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrEmpty(_socketPath))
        {
            return;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (_lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        Notify("READY=1");
        if (!long.TryParse(_watchdogMicroseconds, NumberStyles.Integer, CultureInfo.InvariantCulture, out var microseconds) || microseconds <= 0)
        {
            return;
        }

        var period = TimeSpan.FromMicroseconds(microseconds / 2.0);
        var withheld = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var since = _heartbeat.SinceLastBeat;
            if (IsLoopAlive(since, _schedule.Interval))
            {
                Notify("WATCHDOG=1");
                withheld = false;
            }
            else if (!withheld)
            {
                // Logged once per stall; systemd restarts the agent WatchdogSec after the last ping.
                LogWithholdingWatchdog(_logger, since.TotalSeconds, ((_schedule.Interval * 3) + StallGrace).TotalSeconds);
                withheld = true;
            }

            try
            {
                await Task.Delay(period, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void Notify(string state)
    {
        if (string.IsNullOrEmpty(_socketPath))
        {
            return;
        }

        // A leading '@' names a socket in the abstract namespace, written with a leading NUL.
        var path = _socketPath[0] == '@' ? "\0" + _socketPath[1..] : _socketPath;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.Send(Encoding.ASCII.GetBytes(state));
        }
        catch (SocketException)
        {
            // systemd went away or the socket is not ours to use; the agent works without it.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The telemetry loop has not run for {Seconds:F0} s (limit {LimitSeconds:F0} s); withholding the systemd watchdog ping so systemd restarts the agent")]
    private static partial void LogWithholdingWatchdog(ILogger logger, double seconds, double limitSeconds);
}
