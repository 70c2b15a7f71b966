using Edge.Agent.Hosting;
using Edge.Agent.Storage;
using Microsoft.Extensions.Logging;

namespace Edge.Agent.Telemetry;

/// <summary>Samples telemetry every interval and appends it to the outbox, whether or not the broker is reachable.</summary>
internal sealed partial class TelemetryLoop
{
    private readonly TelemetrySampler _sampler;
    private readonly TelemetrySchedule _schedule;
    private readonly SqliteOutbox _outbox;
    private readonly TimeProvider _time;
    private readonly LoopHeartbeat _heartbeat;
    private readonly ILogger<TelemetryLoop> _logger;

    public TelemetryLoop(TelemetrySampler sampler, TelemetrySchedule schedule, SqliteOutbox outbox, TimeProvider time, LoopHeartbeat heartbeat, ILogger<TelemetryLoop> logger)
    {
        _sampler = sampler;
        _schedule = schedule;
        _outbox = outbox;
        _time = time;
        _heartbeat = heartbeat;
        _logger = logger;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // Once per round, so a sample or outbox write that never returns stops the beats (and the watchdog pings).
            _heartbeat.Beat();
            try
            {
                // A changed interval restarts the wait, so the new interval applies from now.
                if (await _schedule.Changed.WaitAsync(_schedule.Interval, _time, cancellationToken))
                {
                    continue;
                }

                var sample = _sampler.Sample();
                await _outbox.EnqueueAsync(TelemetrySampler.Serialize(sample), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // A failed sample (disk full, I/O error) is logged; the next interval tries again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogSampleFailed(_logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Taking or storing a telemetry sample failed")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
