using System.Diagnostics;
using System.Threading.Channels;
using Edge.Agent.Ota.Bench;
using Edge.Agent.Ota.Health;
using Edge.Sdk;
using Edge.Sdk.Inference;

namespace Edge.Agent.Ota.Shadow;

/// <summary>
/// One shadow evaluation in progress: the candidate's session, loaded on a worker thread of its own at the bench's
/// lowered priority (its ONNX Runtime threads inherit it); the tap on the served host that samples live calls into a
/// bounded queue; and the worker that runs each sample on the candidate, times it and compares the answers. A sample on
/// which the candidate throws is a disagreement carrying the exception's message; nothing of the candidate ever runs on
/// the app's thread. Dispose to detach the tap, stop the worker and free the candidate.
/// </summary>
internal sealed class ShadowRun : IDisposable
{
    private readonly ShadowTap _tap;
    private readonly Channel<ShadowSample> _queue;
    private readonly LiveMetricsWatch _live;
    private readonly ShadowTally _tally;
    private readonly Thread _worker;
    private readonly TaskCompletionSource<ShadowComparer> _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<EdgeSession> _loadCandidate;
    private readonly double _tolerance;
    private IDisposable? _registration;

    private ShadowRun(ModelHost host, string servedName, string servedVersion, double fraction, int capacity, Func<EdgeSession> loadCandidate, double tolerance, ShadowProgress? resumed)
    {
        _loadCandidate = loadCandidate;
        _tolerance = tolerance;
        _queue = Channel.CreateBounded<ShadowSample>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _tap = new ShadowTap(fraction, servedName, servedVersion, _queue.Writer);
        _live = new LiveMetricsWatch(servedName, servedVersion);
        _tally = new ShadowTally(resumed ?? new ShadowProgress { Task = "" });
        _worker = new Thread(Work) { IsBackground = true, Name = "edge-ota-shadow" };
    }

    /// <summary>The comparison in use, known once the candidate loaded.</summary>
    public ShadowComparer? Comparer { get; private set; }

    /// <summary>Samples compared so far, journaled ones included.</summary>
    public long Samples => _tally.Samples;

    /// <summary>
    /// Loads the candidate on the worker, then attaches the tap. Fails (the tap never attached) when the candidate
    /// does not load or does not take the served model's kind of call.
    /// </summary>
    public static async Task<ShadowRun> StartAsync(ModelHost host, string servedName, string servedVersion, double fraction, int capacity, Func<EdgeSession> loadCandidate, double tolerance, ShadowProgress? resumed, CancellationToken cancellationToken)
    {
        var run = new ShadowRun(host, servedName, servedVersion, fraction, capacity, loadCandidate, tolerance, resumed);
        run._worker.Start();
        try
        {
            run.Comparer = await run._loaded.Task.WaitAsync(cancellationToken);
        }
        catch
        {
            run.Dispose();
            throw;
        }

        run._registration = host.AddObserver(run._tap);
        return run;
    }

    /// <summary>Everything so far; <paramref name="elapsedSeconds"/> is this run's share of the shadow's time.</summary>
    public ShadowProgress Snapshot(double elapsedSeconds)
    {
        // Read in causal order (compared samples, dropped, sampled, then live calls): every compared sample was sampled
        // and every sampled call was a live call before it, so each figure read later bounds the one read before it.
        var counted = _tally.Snapshot(0, [], 0, 0, elapsedSeconds);
        var dropped = _tap.Dropped;
        var sampled = _tap.Sampled;
        var calls = _live.Snapshot().Calls;
        return counted with
        {
            Task = Comparer?.Task ?? "",
            LiveCalls = counted.LiveCalls + calls,
            Sampled = counted.Sampled + sampled,
            Dropped = counted.Dropped + dropped,
            ServingMs = ShadowTally.Recent(counted.ServingMs, _live.Durations()),
        };
    }

    public void Dispose()
    {
        _registration?.Dispose();

        _queue.Writer.TryComplete();
        if (_worker.IsAlive)
        {
            _worker.Join();
        }

        _live.Dispose();
    }

    private void Work()
    {
        BenchPriority.LowerCurrentThread();
        EdgeSession candidate;
        ShadowComparer comparer;
        try
        {
            candidate = _loadCandidate();
            comparer = ShadowComparer.For(candidate, _tolerance);
        }
        catch (Exception e)
        {
            _loaded.TrySetException(e);
            return;
        }

        using (candidate)
        {
            _loaded.TrySetResult(comparer);
            var reader = _queue.Reader;
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (reader.TryRead(out var sample))
                {
                    Compare(candidate, comparer, sample);
                }
            }
        }
    }

    private void Compare(EdgeSession candidate, ShadowComparer comparer, ShadowSample sample)
    {
        float[] answer;
        var started = Stopwatch.GetTimestamp();
        try
        {
            answer = sample.RunCandidate(candidate);
        }
        catch (Exception e)
        {
            // Whatever the candidate throws is a disagreement, never a fault of the worker or the app: the served model never saw it.
            _tally.Record(new ShadowVerdict(false, 0, $"candidate threw {e.GetType().Name}: {e.Message}"), null, candidateThrew: true);
            return;
        }

        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        _tally.Record(comparer.Compare(sample.ServedOutput(), answer), ms, candidateThrew: false);
    }
}
