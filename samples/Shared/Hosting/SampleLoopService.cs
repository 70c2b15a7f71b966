using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Samples.Hosting;

/// <summary>
/// What both device samples do around their frame loop: report the loop's end (count, cancellation as -1, or the
/// failure with exit code 1), and, for a finite source run from the command line, wait one more telemetry interval
/// so the last readings are published before the app stops.
/// </summary>
public abstract partial class SampleLoopService : BackgroundService
{
    private readonly bool _stopWhenDone;
    private readonly TimeSpan _telemetryInterval;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the service; <paramref name="telemetryInterval"/> is the embedded agent's sampling interval.</summary>
    protected SampleLoopService(bool stopWhenDone, TimeSpan telemetryInterval, IHostApplicationLifetime lifetime, TimeProvider time, ILogger logger)
    {
        _stopWhenDone = stopWhenDone;
        _telemetryInterval = telemetryInterval;
        _lifetime = lifetime;
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs the loop until the frames end or <paramref name="cancellationToken"/> stops it; returns how many it handled.</summary>
    protected abstract Task<long> RunLoopAsync(CancellationToken cancellationToken);

    /// <summary>The loop ended: the count it returned, or -1 when the host stopped it.</summary>
    protected abstract void OnLoopCompleted(long count);

    /// <summary>The loop failed; the app then stops with exit code 1.</summary>
    protected abstract void OnLoopFailed(Exception exception);

    /// <inheritdoc />
    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            OnLoopCompleted(await RunLoopAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            OnLoopCompleted(-1);
        }
        catch (Exception e)
        {
            OnLoopFailed(e);
            LogFailed(_logger, GetType().Name, e);
            Environment.ExitCode = 1;
            _lifetime.StopApplication();
            return;
        }

        if (_stopWhenDone)
        {
            // Telemetry is sampled on the agent's interval; one more interval publishes the last readings.
            var linger = _telemetryInterval + TimeSpan.FromSeconds(2);
            LogLinger(_logger, linger.TotalSeconds);
            try
            {
                await Task.Delay(linger, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                // stopped by Ctrl+C meanwhile
            }

            _lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping in {Seconds:0} s, after the last telemetry sample")]
    private static partial void LogLinger(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service} stopped")]
    private static partial void LogFailed(ILogger logger, string service, Exception exception);
}
