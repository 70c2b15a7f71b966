using Edge.Fleet.Publishing;

namespace Edge.Fleet.Deployments;

/// <summary>
/// Publishes jobs through an inner publisher after making sure the <see cref="ChunkServer"/> serves the job's
/// package (found by its SHA-256 among the packages verified in this session), so a device can fetch the chunks the
/// moment it sees the job.
/// </summary>
internal sealed class ServingJobPublisher : IJobPublisher
{
    private readonly IJobPublisher _inner;
    private readonly ChunkServer _chunks;
    private readonly Func<string, string?> _pathBySha256;
    private readonly HashSet<string> _served = new(StringComparer.Ordinal);

    public ServingJobPublisher(IJobPublisher inner, ChunkServer chunks, Func<string, string?> pathBySha256)
    {
        _inner = inner;
        _chunks = chunks;
        _pathBySha256 = pathBySha256;
    }

    public event Action<OtaJobStateReport>? ReportReceived
    {
        add => _inner.ReportReceived += value;
        remove => _inner.ReportReceived -= value;
    }

    public IReadOnlyCollection<OtaJobStateReport> LatestReports => _inner.LatestReports;

    /// <summary>Serves a job's package without publishing (a resumed deployment whose devices may still be downloading).</summary>
    public void Serve(OtaJobDocument job)
    {
        lock (_served)
        {
            if (!_served.Add(job.JobId))
            {
                return;
            }
        }

        var path = _pathBySha256(job.Package.Sha256)
            ?? throw new InvalidOperationException($"No verified package in this session has SHA-256 {job.Package.Sha256} (job {job.JobId}).");
        _chunks.Serve(job, path);
    }

    public Task PublishJobAsync(string device, OtaJobDocument job, CancellationToken cancellationToken)
    {
        Serve(job);
        return _inner.PublishJobAsync(device, job, cancellationToken);
    }
}
