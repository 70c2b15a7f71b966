using System.Diagnostics;

namespace Edge.Bench.Benchmarks;

/// <summary>An app calling a served model every 2 ms on its own thread, recording each call's start and duration.</summary>
internal sealed class PacedTraffic : IDisposable
{
    private readonly List<(long Start, double Ms)> _calls = new(1 << 20);
    private readonly Thread _thread;
    private readonly Lock _lock = new();
    private volatile bool _stop;
    private int _failures;

    public PacedTraffic(OtaBenchSupport bench)
        : this(() => bench.Model.Host!)
    {
    }

    /// <summary>
    /// Calls whatever host <paramref name="host"/> returns at each call (an agent's served model, or a bare host),
    /// attaching <paramref name="frame"/> to every call as the app's raw frame when given (<c>RawFrames.Attach</c>).
    /// </summary>
    public PacedTraffic(Func<Edge.Sdk.Inference.ModelHost> host, (byte[] Data, string MediaType)? frame = null)
    {
        _thread = new Thread(() =>
        {
            var input = new float[784];
            var output = new float[10];
            var next = Stopwatch.GetTimestamp();
            var interval = Stopwatch.Frequency / 500;
            while (!_stop)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait > TimeSpan.Zero)
                {
                    Thread.Sleep(wait);
                }

                next += interval;
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using (frame is { } f ? Edge.Sdk.Inference.RawFrames.Attach(f.Data, f.MediaType) : null)
                    {
                        host().Run<float, float>(input, output);
                    }

                    var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    lock (_lock)
                    {
                        _calls.Add((start, ms));
                    }
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref _failures);
                }
            }
        })
        { IsBackground = true, Name = "app-traffic" };
        _thread.Start();
    }

    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Durations of the calls that started between two timestamps.</summary>
    public IReadOnlyList<double> Between(long from, long to)
    {
        lock (_lock)
        {
            return [.. _calls.Where(c => c.Start >= from && c.Start <= to).Select(c => c.Ms)];
        }
    }

    /// <summary>The nearest-rank <paramref name="fraction"/> percentile of call durations, as the agent's latency gate takes it.</summary>
    public static double Percentile(IEnumerable<double> durations, double fraction) =>
        Edge.Agent.Ota.Health.LatencyComparison.NearestRank([.. durations.Order()], fraction);

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
