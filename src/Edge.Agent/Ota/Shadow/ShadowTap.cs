using System.Threading.Channels;
using Edge.Sdk.Inference;

namespace Edge.Agent.Ota.Shadow;

/// <summary>
/// The served host's observer while a candidate is shadowed. On the app's thread it only decides whether the call is
/// sampled (every call whose running count crosses the next multiple of 1 / fraction: deterministic, lock-free),
/// copies its input and output and offers them to a bounded queue; a full queue drops the sample and counts it. The
/// app never waits for the shadow.
/// </summary>
internal sealed class ShadowTap : IInferenceObserver
{
    private readonly double _fraction;
    private readonly string _name;
    private readonly string _version;
    private readonly ChannelWriter<ShadowSample> _queue;
    private long _seen;
    private long _sampled;
    private long _dropped;

    public ShadowTap(double fraction, string name, string version, ChannelWriter<ShadowSample> queue)
    {
        _fraction = fraction;
        _name = name;
        _version = version;
        _queue = queue;
    }

    /// <summary>Calls the tap chose.</summary>
    public long Sampled => Interlocked.Read(ref _sampled);

    /// <summary>Chosen calls dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void OnRun<TInput, TOutput>(EdgeSession session, ReadOnlySpan<TInput> input, ReadOnlySpan<TOutput> output)
        where TInput : unmanaged
        where TOutput : unmanaged
    {
        if (session.ModelName != _name || session.ModelVersion != _version)
        {
            return;
        }

        var n = Interlocked.Increment(ref _seen);
        if (Math.Floor(n * _fraction) == Math.Floor((n - 1) * _fraction))
        {
            return;
        }

        Interlocked.Increment(ref _sampled);
        if (!_queue.TryWrite(new ShadowSampleOf<TInput, TOutput>(input.ToArray(), output.ToArray())))
        {
            Interlocked.Increment(ref _dropped);
        }
    }
}
