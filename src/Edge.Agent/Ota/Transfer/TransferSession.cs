namespace Edge.Agent.Ota.Transfer;

/// <summary>
/// What both transfer methods share for one job: the file, pacing, the data budget, the deadline, counters and the
/// progress callback (called at most every <c>Ota:ProgressInterval</c>, and when waiting for the budget).
/// </summary>
internal sealed class TransferSession
{
    private readonly Func<OtaProgress, string?, CancellationToken, Task> _report;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private long _lastReport;

    public TransferSession(
        OtaJobDocument job,
        DownloadFile file,
        TransferThrottle throttle,
        DataBudget budget,
        TimeProvider time,
        TimeSpan progressInterval,
        Func<OtaProgress, string?, CancellationToken, Task> report)
    {
        Job = job;
        File = file;
        Throttle = throttle;
        Budget = budget;
        _time = time;
        _interval = progressInterval;
        _report = report;
    }

    public OtaJobDocument Job { get; }

    public DownloadFile File { get; }

    public TransferThrottle Throttle { get; }

    public DataBudget Budget { get; }

    public TimeProvider Time => _time;

    public long BytesTransferred { get; set; }

    public long DuplicateChunks { get; set; }

    public long RejectedChunks { get; set; }

    public OtaProgress Progress => new()
    {
        BytesReceived = File.BytesHeld,
        TotalBytes = File.Size,
        Percent = Math.Round(100.0 * File.BytesHeld / File.Size, 1),
        BytesTransferred = BytesTransferred,
        DuplicateChunks = DuplicateChunks,
        RejectedChunks = RejectedChunks,
    };

    /// <summary>Throws when the job's deadline has passed.</summary>
    public void CheckDeadline()
    {
        if (Job.Constraints.Deadline is { } deadline && _time.GetUtcNow() > deadline)
        {
            throw OtaJobException.Fail($"deadline passed: the job had to finish downloading by {deadline:O}; {File.BytesHeld} of {File.Size} bytes were held");
        }
    }

    /// <summary>Books bytes against the budget and the rate limit, waiting (and saying why) when the day's budget is spent.</summary>
    public async Task AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        while (!Budget.TryConsume(bytes, out var untilReset))
        {
            await File.CheckpointAsync(cancellationToken);
            await Budget.SaveAsync(cancellationToken);
            await _report(Progress, $"daily data budget of {Budget.LimitBytes} bytes spent ({Budget.UsedToday} used); resuming in {untilReset.TotalMinutes:F0} min at 00:00 UTC", cancellationToken);
            await Task.Delay(untilReset + TimeSpan.FromSeconds(1), _time, cancellationToken);
            CheckDeadline();
        }

        await Throttle.WaitAsync(bytes, cancellationToken);
    }

    /// <summary>Checkpoints and reports progress when the interval has passed (or <paramref name="force"/>).</summary>
    public async Task TickAsync(bool force, CancellationToken cancellationToken)
    {
        if (!force && _time.GetElapsedTime(_lastReport) < _interval)
        {
            return;
        }

        _lastReport = _time.GetTimestamp();
        await File.CheckpointAsync(cancellationToken);
        await Budget.SaveAsync(cancellationToken);
        await _report(Progress, null, cancellationToken);
    }
}
