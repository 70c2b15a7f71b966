using System.Text.Json;
using Edge.Agent.Ota.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Agent.Ota;

/// <summary>
/// The OTA hosted service. At start it recovers (finishes or abandons what a kill interrupted) and loads the active
/// slot's model, before the host reports started. Then it takes job documents, journals and queues them, and runs
/// them one at a time, oldest first: a job arriving while another runs is reported <c>queued</c>.
/// </summary>
internal sealed partial class OtaService : BackgroundService
{
    private readonly OtaRuntime _runtime;
    private readonly OtaRecovery _recovery;
    private readonly OtaJobRunner _runner;
    private readonly OtaMessageHandler _handler;
    private readonly ILogger<OtaService> _logger;
    private readonly Hosting.AsyncSignal _queued = new();

    public OtaService(OtaRuntime runtime, OtaRecovery recovery, OtaJobRunner runner, OtaMessageHandler handler, ILogger<OtaService> logger)
    {
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

        await _recovery.RecoverAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        _runtime.Reporter.RunAsync(OnDeliveredAsync, stoppingToken),
        IntakeAsync(stoppingToken),
        RunQueueAsync(stoppingToken));

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

    private async Task IntakeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var payload in _handler.Jobs.ReadAllAsync(cancellationToken))
            {
                await AcceptAsync(payload, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task AcceptAsync(byte[] payload, CancellationToken cancellationToken)
    {
        if (!SignedJobReader.TryOpen(payload, _runtime.JobTrust, out var signed, out var refusal))
        {
            LogRefused(_logger, refusal);
            Refuse(JobIdOf(signed), refusal);
            return;
        }

        payload = signed;
        OtaJobDocument? job;
        try
        {
            job = JsonSerializer.Deserialize(payload, OtaJsonContext.Default.OtaJobDocument) ?? throw new JsonException("the document is JSON null");
        }
        catch (JsonException e)
        {
            Refuse(JobIdOf(payload), $"malformed job JSON: {e.Message}");
            return;
        }

        var errors = OtaJobValidator.Validate(job);
        if (errors.Count > 0)
        {
            Refuse(JobIdOf(payload), $"invalid job document ({errors.Count} problem(s)): {string.Join("; ", errors)}");
            return;
        }

        if (_runtime.Journal.Find(job.JobId) is { } known)
        {
            LogKnownJob(_logger, job.JobId, known.State);
            return;
        }

        var busy = _runtime.Journal.Unfinished().Count > 0;
        var record = new JobRecord { Job = job, State = OtaJobStates.Queued, Sequence = _runtime.Journal.NextSequence(), ReceivedUtc = _runtime.Time.GetUtcNow(), FromVersion = _runtime.Model.Version };
        await _runtime.Journal.SaveAsync(record, cancellationToken);
        _runtime.Reporter.Post(_runtime.Reporter.Create(job.JobId, OtaJobStates.Queued) with
        {
            ToVersion = job.Package.Version,
            FromVersion = _runtime.Model.Version,
            ActiveVersion = _runtime.Model.Version,
            Reason = busy ? "another job is running; this one starts when it ends" : null,
        });
        _queued.Set();
    }

    private async Task RunQueueAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (_runtime.Journal.Unfinished() is not [var next, ..])
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
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: the journal keeps the job's state and the next start resumes it.
                return;
            }
        }
    }

    private void Refuse(string jobId, string reason) =>
        _runtime.Reporter.Post(_runtime.Reporter.Create(jobId, OtaJobStates.Failed) with { Reason = reason, ActiveVersion = _runtime.Model.Version });

    /// <summary>The job id of a document that failed validation, when it has a usable one, so the report can be matched.</summary>
    private static string JobIdOf(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("jobId", out var id)
                && id.ValueKind == JsonValueKind.String
                && id.GetString() is { Length: > 0 and <= 64 } text
                && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
                ? text
                : "invalid";
        }
        catch (JsonException)
        {
            return "invalid";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA job {JobId}: could not journal that its outcome was delivered ({Error}); it is sent again after a restart")]
    private static partial void LogMarkFailed(ILogger logger, string jobId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA job document refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "OTA job {JobId} is already known ({State}); document ignored")]
    private static partial void LogKnownJob(ILogger logger, string jobId, string state);
}
