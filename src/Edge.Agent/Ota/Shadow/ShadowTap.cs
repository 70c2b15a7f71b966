using System.Threading.Channels;
using Edge.Agent.Sampling;
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
    private readonly CallSampler _sampler = new();

    public ShadowTap(double fraction, string name, string version, ChannelWriter<ShadowSample> queue)
    {
        _fraction = fraction;
        _name = name;
        _version = version;
        _queue = queue;
    }

    /// <summary>Calls the tap chose.</summary>
    public long Sampled => _sampler.Sampled;

    /// <summary>Chosen calls dropped because the queue was full.</summary>
    public long Dropped => _sampler.Dropped;

    public void OnRun<TInput, TOutput>(EdgeSession session, ReadOnlySpan<TInput> input, ReadOnlySpan<TOutput> output)
        where TInput : unmanaged
        where TOutput : unmanaged
    {
        if (session.ModelName != _name || session.ModelVersion != _version)
        {
            return;
        }

        if (!_sampler.Choose(_fraction))
        {
            return;
        }

        _sampler.Offer<ShadowSample>(_queue, new ShadowSampleOf<TInput, TOutput>(input.ToArray(), output.ToArray()));
    }
}
