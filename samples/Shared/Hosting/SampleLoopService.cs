using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Samples.Hosting;

/// <summary>
/// What both device samples do around their frame loop: report the loop's end (count, cancellation as -1, or the
/// failure with exit code 1), and, for a finite source run from the command line, wait one more telemetry interval
/// so the last readings are published before the app stops.
/// </summary>
/// <typeparam name="TResult">What one pass of the loop reports through <see cref="Progress"/>.</typeparam>
public abstract partial class SampleLoopService<TResult> : BackgroundService
{
    private readonly bool _stopWhenDone;
    private readonly TimeSpan _telemetryInterval;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the service; <paramref name="telemetryInterval"/> is the embedded agent's sampling interval.</summary>
    protected SampleLoopService(LoopProgress<TResult> progress, bool stopWhenDone, TimeSpan telemetryInterval, IHostApplicationLifetime lifetime, TimeProvider time, ILogger logger)
    {
        Progress = progress;
        _stopWhenDone = stopWhenDone;
        _telemetryInterval = telemetryInterval;
        _lifetime = lifetime;
        _time = time;
        _logger = logger;
    }

    /// <summary>Where the loop reports each result; this base completes it with the count, or the failure.</summary>
    protected LoopProgress<TResult> Progress { get; }

    /// <summary>Runs the loop until the frames end or <paramref name="cancellationToken"/> stops it; returns how many it handled.</summary>
    protected abstract Task<long> RunLoopAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            Progress.Complete(await RunLoopAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Progress.Complete(-1);
        }
        catch (Exception e)
        {
            Progress.Fail(e);
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
