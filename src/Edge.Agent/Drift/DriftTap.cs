using System.Runtime.InteropServices;
using System.Threading.Channels;
using Edge.Agent.Sampling;
using Edge.Sdk.Inference;

namespace Edge.Agent.Drift;

/// <summary>
/// The served host's drift observer. On the app's thread it only decides whether the call is sampled (every call
/// whose running count crosses the next multiple of 1 / fraction: deterministic, lock-free), copies its input and
/// output and offers them to the bounded queue; a full queue drops the sample and counts it. Calls of another model
/// or version (the moments around a swap) are ignored.
/// </summary>
internal sealed class DriftTap : IInferenceObserver
{
    private readonly double _fraction;
    private readonly DriftWindow _window;
    private readonly ChannelWriter<DriftSample> _queue;
    private readonly CallSampler _sampler = new();

    public DriftTap(double fraction, DriftWindow window, ChannelWriter<DriftSample> queue)
    {
        _fraction = fraction;
        _window = window;
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
        if (session.ModelName != _window.Model || session.ModelVersion != _window.Version)
        {
            return;
        }

        if (!_sampler.Choose(_fraction))
        {
            return;
        }

        var sample = new DriftSample(
            _window,
            typeof(TInput) == typeof(float) ? MemoryMarshal.Cast<TInput, float>(input).ToArray() : null,
            typeof(TOutput) == typeof(float) ? MemoryMarshal.Cast<TOutput, float>(output).ToArray() : null,
            session.Inputs[0].Dimensions,
            session.Outputs[0].Dimensions);
        _sampler.Offer(_queue, sample);
    }
}
