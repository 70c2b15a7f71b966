using System.Text.Json;
using Edge.Agent.Ota.Slots;

namespace Edge.Agent.Ota.Jobs;

/// <summary>
/// One small JSON file per job, replaced atomically at each state change. It is how the agent resumes or abandons
/// a job after a restart, keeps the queue, and ignores a retained job document it has already finished.
/// </summary>
internal sealed class JobJournal
{
    private readonly string _folder;
    private readonly Dictionary<string, JobRecord> _records = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public JobJournal(string dataDirectory)
    {
        _folder = Path.Combine(Path.GetFullPath(dataDirectory), "jobs");
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_folder);
        foreach (var file in Directory.EnumerateFiles(_folder, "*.json"))
        {
            var record = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(file, cancellationToken), OtaStorageJsonContext.Default.JobRecord);
            if (record is not null)
            {
                lock (_lock)
                {
                    _records[record.Job.JobId] = record;
                }
            }
        }
    }

    public JobRecord? Find(string jobId)
    {
        lock (_lock)
        {
            return _records.GetValueOrDefault(jobId);
        }
    }

    /// <summary>Jobs not in a terminal state, oldest first: the running one (if any) and the queue.</summary>
    public IReadOnlyList<JobRecord> Unfinished()
    {
        lock (_lock)
        {
            return [.. _records.Values.Where(r => !r.IsTerminal).OrderBy(r => r.Sequence)];
        }
    }

    /// <summary>Ended jobs whose terminal report may not have reached the broker, oldest first.</summary>
    public IReadOnlyList<JobRecord> Undelivered()
    {
        lock (_lock)
        {
            return [.. _records.Values.Where(r => r.IsTerminal && !r.OutcomeDelivered).OrderBy(r => r.Sequence)];
        }
    }

    /// <summary>Records that the terminal report of <paramref name="jobId"/> reached the broker.</summary>
    public async Task MarkDeliveredAsync(string jobId, CancellationToken cancellationToken)
    {
        if (Find(jobId) is { IsTerminal: true, OutcomeDelivered: false } record)
        {
            await SaveAsync(record with { OutcomeDelivered = true }, cancellationToken);
        }
    }

    public long NextSequence()
    {
        lock (_lock)
        {
            return _records.Count == 0 ? 1 : _records.Values.Max(r => r.Sequence) + 1;
        }
    }

    public async Task SaveAsync(JobRecord record, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_folder);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(record, OtaStorageJsonContext.Default.JobRecord);
        await DurableFiles.WriteAtomicAsync(Path.Combine(_folder, record.Job.JobId + ".json"), bytes, cancellationToken);
        lock (_lock)
        {
            _records[record.Job.JobId] = record;
        }
    }
}
