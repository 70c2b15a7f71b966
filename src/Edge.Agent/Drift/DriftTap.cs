using System.Runtime.InteropServices;
using System.Threading.Channels;
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
    private long _seen;
    private long _sampled;
    private long _dropped;

    public DriftTap(double fraction, DriftWindow window, ChannelWriter<DriftSample> queue)
    {
        _fraction = fraction;
        _window = window;
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
        if (session.ModelName != _window.Model || session.ModelVersion != _window.Version)
        {
            return;
        }

        var n = Interlocked.Increment(ref _seen);
        if (Math.Floor(n * _fraction) == Math.Floor((n - 1) * _fraction))
        {
            return;
        }

        Interlocked.Increment(ref _sampled);
        var sample = new DriftSample(
            _window,
            typeof(TInput) == typeof(float) ? MemoryMarshal.Cast<TInput, float>(input).ToArray() : null,
            typeof(TOutput) == typeof(float) ? MemoryMarshal.Cast<TOutput, float>(output).ToArray() : null,
            session.Inputs[0].Dimensions,
            session.Outputs[0].Dimensions);
        if (!_queue.TryWrite(sample))
        {
            Interlocked.Increment(ref _dropped);
        }
    }
}
