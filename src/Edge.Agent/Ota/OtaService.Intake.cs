using System.Text.Json;
using Edge.Agent.Ota.Jobs;
using Microsoft.Extensions.Logging;

namespace Edge.Agent.Ota;

/// <summary>
/// The intake: each job document's operator signature is checked, then it is parsed, validated, and journaled and
/// queued, or refused. A job id is owned by
/// the job the journal knows under it: a refused document never reports under a known id (it would overwrite that
/// job's retained state), and a finished job's document published again gets the recorded outcome again.
/// </summary>
internal sealed partial class OtaService
{
    private async Task IntakeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _handler.Jobs.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await AcceptAsync(message, cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    // One document that breaks the intake must not stop the documents behind it.
                    LogIntakeFailed(_logger, e);
                    Refuse(JobIdOf(message.Payload), $"job document not accepted ({e.GetType().Name}): {e.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task AcceptAsync(OtaJobMessage message, CancellationToken cancellationToken)
    {
        // Nothing of a document is believed before its operator signature is (docs/protocol.md, Signed jobs).
        if (!SignedJobReader.TryOpen(message.Payload, _runtime.JobTrust, out var payload, out var refusal))
        {
            LogRefused(_logger, refusal);
            Refuse(JobIdOf(payload), refusal);
            return;
        }

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

        var errors = OtaJobValidator.Validate(job, _runtime.Options.MaxPackageBytes);
        if (errors.Count > 0)
        {
            Refuse(JobIdOf(payload), $"invalid job document ({errors.Count} problem(s)): {string.Join("; ", errors)}");
            return;
        }

        if (_runtime.Journal.Find(job.JobId) is { } known)
        {
            if (known.IsTerminal && !message.Retained)
            {
                // Published again (not the broker's stored copy at subscribe): the fleet is asking, so answer.
                Replay(known);
            }
            else
            {
                LogKnownJob(_logger, job.JobId, known.State);
            }

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

    private void Replay(JobRecord known)
    {
        LogReplayed(_logger, known.Job.JobId, known.State);
        _runtime.Reporter.Post(_runtime.Reporter.Create(known.Job.JobId, known.State) with
        {
            Reason = known.Reason,
            FromVersion = known.FromVersion,
            ToVersion = known.Job.Package.Version,
            ActiveVersion = _runtime.Model.Version,
        });
    }

    /// <summary>Reports a refused document as failed under its id, unless that id is a job's the journal knows.</summary>
    private void Refuse(string jobId, string reason)
    {
        if (_runtime.Journal.Find(jobId) is { } owner)
        {
            LogRefusedKnownId(_logger, jobId, owner.State, reason);
            return;
        }

        _runtime.Reporter.Post(_runtime.Reporter.Create(jobId, OtaJobStates.Failed) with { Reason = reason, ActiveVersion = _runtime.Model.Version });
    }

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

    [LoggerMessage(Level = LogLevel.Debug, Message = "OTA job {JobId} is already known ({State}); document ignored")]
    private static partial void LogKnownJob(ILogger logger, string jobId, string state);

    [LoggerMessage(Level = LogLevel.Information, Message = "OTA job {JobId} was published again after it ended; its outcome ({State}) is reported again")]
    private static partial void LogReplayed(ILogger logger, string jobId, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA: a refused job document names the id of known job {JobId} ({State}); that job's state is kept and nothing is reported. The document: {Reason}")]
    private static partial void LogRefusedKnownId(ILogger logger, string jobId, string state, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "OTA: a job document could not be taken in; the intake goes on")]
    private static partial void LogIntakeFailed(ILogger logger, Exception exception);
}
