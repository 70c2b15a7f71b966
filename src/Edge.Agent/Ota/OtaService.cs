using Edge.Agent.Ota.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Agent.Ota;

/// <summary>
/// The OTA hosted service. At start it recovers (finishes or abandons what a kill interrupted) and loads the active
/// slot's model, before the host reports started. Then it takes job documents, journals and queues them, and runs
/// them one at a time, oldest first: a job arriving while another runs is reported <c>queued</c>. No job, whatever
/// goes wrong in it, stops the queue, and no document stops the intake.
/// </summary>
internal sealed partial class OtaService : BackgroundService
{
    private readonly OtaRuntime _runtime;
    private readonly OtaRecovery _recovery;
    private readonly OtaJobRunner _runner;
    private readonly OtaMessageHandler _handler;
    private readonly ServedModelAnnouncer _announcer;
    private readonly ILogger<OtaService> _logger;
    private readonly Hosting.AsyncSignal _queued = new();

    // Jobs whose outcome the journal could not take; only the queue loop touches it.
    private readonly HashSet<string> _skipped = new(StringComparer.Ordinal);

    public OtaService(OtaRuntime runtime, OtaRecovery recovery, OtaJobRunner runner, OtaMessageHandler handler, ServedModelAnnouncer announcer, ILogger<OtaService> logger)
    {
        _announcer = announcer;
        _runtime = runtime;
        _recovery = recovery;
        _runner = runner;
        _handler = handler;
        _logger = logger;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_runtime.Options.Enabled)
        {
            return;
        }

        _announcer.Attach();
        await _recovery.RecoverAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task[] loops =
        [
            _runtime.Reporter.RunAsync(OnDeliveredAsync, stoppingToken),
            IntakeAsync(stoppingToken),
            RunQueueAsync(stoppingToken),
        ];

        // Task.WhenAll alone would hold a dead loop's exception until the other loops end, i.e. until shutdown: the
        // agent would run on with OTA silently off. The loops catch what they expect; anything else is said at once
        // and faults the service, so the host stops and its supervisor restarts it (the journal resumes the jobs).
        var first = await Task.WhenAny(loops);
        if (first.IsFaulted && !stoppingToken.IsCancellationRequested)
        {
            LogLoopFailed(_logger, first.Exception.GetBaseException());
            await first;
        }

        await Task.WhenAll(loops);
    }

    private async Task OnDeliveredAsync(OtaJobStateReport report, CancellationToken cancellationToken)
    {
        if (!OtaJobStates.IsTerminal(report.State))
        {
            return;
        }

        try
        {
            await _runtime.Journal.MarkDeliveredAsync(report.JobId, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unmarked, the outcome is sent once more after the next restart: a duplicate, never a loss.
            LogMarkFailed(_logger, report.JobId, e.Message);
        }
    }

    private async Task RunQueueAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var next = _runtime.Journal.Unfinished().FirstOrDefault(r => !_skipped.Contains(r.Job.JobId));
            if (next is null)
            {
                try
                {
                    await _queued.WaitAsync(TimeSpan.FromMinutes(1), _runtime.Time, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            try
            {
                await _runner.RunAsync(next, cancellationToken);
                if (_runtime.Journal.Find(next.Job.JobId) is { IsTerminal: false } stuck)
                {
                    throw new InvalidOperationException($"the run returned with the job still '{stuck.State}'");
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: the journal keeps the job's state and the next start resumes it.
                return;
            }
            catch (Exception e)
            {
                // A failed job must never stop the queue: end it here, and if even that cannot be journaled, skip it
                // (it is retried, or abandoned after Ota:MaxJobRestarts, at the next start).
                LogRunCrashed(_logger, next.Job.JobId, e);
                if (!await _runner.AbandonAsync(next, e, cancellationToken))
                {
                    LogSkipped(_logger, next.Job.JobId);
                    _skipped.Add(next.Job.JobId);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA job {JobId}: could not journal that its outcome was delivered ({Error}); it is sent again after a restart")]
    private static partial void LogMarkFailed(ILogger logger, string jobId, string error);

    [LoggerMessage(Level = LogLevel.Critical, Message = "OTA: a service loop failed; OTA stops and the host is told")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "OTA job {JobId}: its run ended on an unexpected error; the job is ended as failed and the queue goes on")]
    private static partial void LogRunCrashed(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "OTA job {JobId}: its outcome could not be journaled; it is skipped until the agent restarts")]
    private static partial void LogSkipped(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA job document refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
