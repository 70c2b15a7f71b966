using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;

namespace Edge.Agent.Hosting;

/// <summary>
/// Speaks the systemd notify protocol when run under <c>Type=notify</c>: READY=1 once the host started, WATCHDOG=1
/// at half of <c>WatchdogSec</c>, STOPPING=1 on shutdown. Does nothing when <c>NOTIFY_SOCKET</c> is unset.
/// </summary>
internal sealed class SystemdNotifier : BackgroundService
{
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly string? _socketPath = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");

    public SystemdNotifier(IHostApplicationLifetime lifetime, TimeProvider time)
    {
        _lifetime = lifetime;
        _time = time;
    }

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
        var watchdog = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        if (!long.TryParse(watchdog, NumberStyles.Integer, CultureInfo.InvariantCulture, out var microseconds) || microseconds <= 0)
        {
            return;
        }

        var period = TimeSpan.FromMicroseconds(microseconds / 2.0);
        while (!stoppingToken.IsCancellationRequested)
        {
            Notify("WATCHDOG=1");
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
}
