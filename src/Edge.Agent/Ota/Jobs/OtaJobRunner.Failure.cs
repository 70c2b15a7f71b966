using Edge.Agent.Ota.Transfer;
using Microsoft.Extensions.Logging;

namespace Edge.Agent.Ota.Jobs;

/// <summary>The last resort of a failed job: ending it when its own failure handling failed, and removing its files.</summary>
internal sealed partial class OtaJobRunner
{
    /// <summary>
    /// Ends a job whose run could not end it itself (the failure handling failed too): journaled as failed where
    /// possible, reported, and its download and staging files removed. Never throws; returns false when even the
    /// journal could not record the outcome, so the caller must skip the job itself.
    /// </summary>
    public async Task<bool> AbandonAsync(JobRecord record, Exception error, CancellationToken cancellationToken)
    {
        var reason = $"internal error ({error.GetType().Name}): {error.Message}";
        var journaled = true;
        try
        {
            await _runtime.Journal.SaveAsync(record with { State = OtaJobStates.Failed, Reason = reason, Phase = null }, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogAbandonFailed(_logger, record.Job.JobId, e.Message);
            journaled = false;
        }

        _runtime.Reporter.Post(_runtime.Reporter.Create(record.Job.JobId, OtaJobStates.Failed) with
        {
            Reason = reason,
            FromVersion = record.FromVersion,
            ToVersion = record.Job.Package.Version,
            ActiveVersion = _runtime.Model.Version,
        });
        DeleteJobFiles(record.Job.JobId);
        return journaled;
    }

    /// <summary>
    /// Removes what a job leaves on disk while it runs: the download, its chunk set, and any staging folder. A file
    /// that cannot be removed is logged and never keeps a job from ending.
    /// </summary>
    private void DeleteJobFiles(string jobId)
    {
        try
        {
            DownloadFile.Delete(_runtime.DownloadsFolder, jobId);
            Slots.ClearStaging();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCleanupFailed(_logger, jobId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "OTA job {JobId}: its outcome could not be journaled ({Error})")]
    private static partial void LogAbandonFailed(ILogger logger, string jobId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA job {JobId}: its download or staging files could not be removed ({Error})")]
    private static partial void LogCleanupFailed(ILogger logger, string jobId, string error);
}
