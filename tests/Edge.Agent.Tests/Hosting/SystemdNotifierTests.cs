using System.Net.Sockets;
using System.Text;
using Edge.Agent.Hosting;
using Edge.Agent.Telemetry;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Agent.Tests.Hosting;

/// <summary>The notifier against a real Unix datagram socket standing in for systemd's NOTIFY_SOCKET.</summary>
public sealed class SystemdNotifierTests : IDisposable
{
    private static readonly TimeSpan WatchdogPeriod = TimeSpan.FromSeconds(10); // WATCHDOG_USEC = 20 s
    private static readonly TimeSpan TelemetryInterval = TimeSpan.FromSeconds(1); // stall limit 3 s + 30 s grace = 33 s

    private readonly string _socketPath = Path.Combine(Path.GetTempPath(), $"edge-notify-{Guid.NewGuid():N}.sock");
    private readonly Socket _systemd = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly FakeTimeProvider _time = new();
    private readonly ApplicationLifetime _lifetime = new(NullLogger<ApplicationLifetime>.Instance);
    private readonly LoopHeartbeat _heartbeat;

    public SystemdNotifierTests()
    {
        _systemd.Bind(new UnixDomainSocketEndPoint(_socketPath));
        _heartbeat = new LoopHeartbeat(_time);
    }

    [Theory]
    [InlineData(0, 1, true)]
    [InlineData(33, 1, true)]
    [InlineData(34, 1, false)]
    [InlineData(120, 30, true)]
    [InlineData(121, 30, false)]
    public void IsLoopAlive_SinceLastBeat_AliveWithinThreeIntervalsPlusGrace(int sinceSeconds, int intervalSeconds, bool expected)
    {
        Assert.Equal(expected, SystemdNotifier.IsLoopAlive(TimeSpan.FromSeconds(sinceSeconds), TimeSpan.FromSeconds(intervalSeconds)));
    }

    [Fact]
    public async Task ExecuteAsync_TelemetryLoopStalled_WithholdsWatchdogUntilItBeatsAgain()
    {
        var logger = new WithheldLogger();
        using var notifier = new SystemdNotifier(_lifetime, _time, _heartbeat, new TelemetrySchedule(TelemetryInterval), logger, _socketPath, "20000000");
        await notifier.StartAsync(CancellationToken.None);
        _lifetime.NotifyStarted();
        Assert.Equal("READY=1", await ReceiveAsync());
        Assert.Equal("WATCHDOG=1", await ReceiveAsync());

        // Loop beating: every period brings a ping.
        Assert.Equal("WATCHDOG=1", await BeatAndAdvanceUntilPingAsync());

        // Loop stalled: time passes without beats. Pings continue until 33 s after the last beat, then stop.
        for (var i = 0; i < 20 && !logger.Withheld.Task.IsCompleted; i++)
        {
            _time.Advance(WatchdogPeriod);
            await Task.WhenAny(logger.Withheld.Task, Task.Delay(200));
        }

        Assert.True(logger.Withheld.Task.IsCompleted, "the notifier never withheld the ping for a stalled loop");
        Assert.All(Drain(), m => Assert.Equal("WATCHDOG=1", m)); // the pings sent while the loop was still within its limit
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(WatchdogPeriod);
            Assert.Null(await TryReceiveAsync(TimeSpan.FromMilliseconds(300)));
        }

        // Beating again: pings resume.
        Assert.Equal("WATCHDOG=1", await BeatAndAdvanceUntilPingAsync());
        await notifier.StopAsync(CancellationToken.None);
        Assert.Equal(1, logger.Errors);
    }

    public void Dispose()
    {
        _systemd.Dispose();
        File.Delete(_socketPath);
    }

    private async Task<string> BeatAndAdvanceUntilPingAsync()
    {
        // Advancing before the notifier has armed its next delay would skip a period, so keep advancing until one arrives.
        for (var i = 0; i < 20; i++)
        {
            _heartbeat.Beat();

            _time.Advance(WatchdogPeriod);
            if (await TryReceiveAsync(TimeSpan.FromMilliseconds(500)) is { } message)
            {
                return message;
            }
        }

        throw new TimeoutException("No notification after 20 watchdog periods.");
    }

    private async Task<string> ReceiveAsync() =>
        await TryReceiveAsync(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException("No notification within 10 s.");

    private async Task<string?> TryReceiveAsync(TimeSpan timeout)
    {
        var buffer = new byte[256];
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            var received = await _systemd.ReceiveAsync(buffer, SocketFlags.None, cancel.Token);
            return Encoding.ASCII.GetString(buffer, 0, received);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private List<string> Drain()
    {
        var messages = new List<string>();
        var buffer = new byte[256];
        while (_systemd.Available > 0)
        {
            messages.Add(Encoding.ASCII.GetString(buffer, 0, _systemd.Receive(buffer)));
        }

        return messages;
    }

    /// <summary>Completes <see cref="Withheld"/> at the notifier's first error, the "withholding the ping" message.</summary>
    private sealed class WithheldLogger : ILogger<SystemdNotifier>
    {
        private int _errors;

        public TaskCompletionSource Withheld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Errors => Volatile.Read(ref _errors);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Error && formatter(state, exception).Contains("withholding", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _errors);
                Withheld.TrySetResult();
            }
        }
    }
}
