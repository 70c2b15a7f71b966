using System.Runtime.InteropServices;
using System.Threading.Channels;
using Edge.Agent.Sampling;
using Edge.Protocol.Capture;
using Edge.Sdk.Inference;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Agent.Capture;

/// <summary>
/// The served host's capture observer. On the app's thread it only decides whether the call is sampled (every call
/// whose running count crosses the next multiple of 1 / fraction: deterministic, lock-free), copies the input and
/// output with their names, element types and shapes (and, when raw frames are on, the frame the app attached with
/// <see cref="RawFrames.Attach"/>), and offers them to a bounded queue; a full queue drops the sample and counts it.
/// The app never waits for the disk.
/// </summary>
internal sealed class CaptureSampler : IInferenceObserver
{
    private readonly ChannelWriter<CaptureSample> _queue;
    private readonly TimeProvider _time;
    private readonly int _maxRawFrameBytes;
    private CaptureSettings _settings;
    private readonly CallSampler _sampler = new();
    private long _unsupported;
    private long _rawFramesKept;
    private long _rawFramesTooLarge;

    public CaptureSampler(CaptureSettings settings, int maxRawFrameBytes, ChannelWriter<CaptureSample> queue, TimeProvider time)
    {
        _settings = settings;
        _maxRawFrameBytes = maxRawFrameBytes;
        _queue = queue;
        _time = time;
    }

    /// <summary>The settings it samples with; replaced whole by <c>capture-config</c>.</summary>
    public CaptureSettings Settings
    {
        get => Volatile.Read(ref _settings);
        set => Volatile.Write(ref _settings, value);
    }

    /// <summary>Calls seen while capture was on.</summary>
    public long Seen => _sampler.Seen;

    /// <summary>Calls chosen.</summary>
    public long Sampled => _sampler.Sampled;

    /// <summary>Chosen calls dropped because the writer's queue was full.</summary>
    public long DroppedQueueFull => _sampler.Dropped;

    /// <summary>Chosen calls not kept because an element type has no capture name (strings, complex numbers).</summary>
    public long Unsupported => Interlocked.Read(ref _unsupported);

    /// <summary>Queued samples that kept the raw frame the app attached.</summary>
    public long RawFramesKept => Interlocked.Read(ref _rawFramesKept);

    /// <summary>Samples whose attached raw frame was larger than <c>Capture:MaxRawFrameBytes</c> and was left out.</summary>
    public long RawFramesTooLarge => Interlocked.Read(ref _rawFramesTooLarge);

    public void OnRun<TInput, TOutput>(EdgeSession session, ReadOnlySpan<TInput> input, ReadOnlySpan<TOutput> output)
        where TInput : unmanaged
        where TOutput : unmanaged
    {
        var settings = Settings;
        if (!settings.Enabled)
        {
            return;
        }

        if (!_sampler.Choose(settings.SampleFraction))
        {
            return;
        }

        var inputInfo = session.Inputs[0];
        var outputInfo = session.Outputs[0];
        if (ElementTypeName(inputInfo.ElementType) is not { } inputType || ElementTypeName(outputInfo.ElementType) is not { } outputType)
        {
            Interlocked.Increment(ref _unsupported);
            return;
        }

        var sample = new CaptureSample(
            session.ModelName,
            session.ModelVersion,
            0,
            _time.GetUtcNow(),
            new CaptureTensor(inputInfo.Name, inputType, ResolveShape(inputInfo.Dimensions, input.Length), MemoryMarshal.AsBytes(input).ToArray()),
            new CaptureTensor(outputInfo.Name, outputType, ResolveShape(outputInfo.Dimensions, output.Length), MemoryMarshal.AsBytes(output).ToArray()))
        {
            RawFrame = settings.RawFrames ? KeepRawFrame() : null,
        };
        if (_sampler.Offer(_queue, sample) && sample.RawFrame is not null)
        {
            Interlocked.Increment(ref _rawFramesKept);
        }
    }

    /// <summary>A copy of the frame attached to this call, or null when none is or it is too large (counted).</summary>
    private CaptureRawFrame? KeepRawFrame()
    {
        if (RawFrames.Current is not { } frame)
        {
            return null;
        }

        if (frame.Data.Length > _maxRawFrameBytes)
        {
            Interlocked.Increment(ref _rawFramesTooLarge);
            return null;
        }

        return new CaptureRawFrame(frame.MediaType, frame.Data.ToArray());
    }

    /// <summary>
    /// The declared shape with its dynamic axes (-1) resolved from <paramref name="elements"/>: the first takes what the
    /// fixed axes leave, any other is 1. A length the declared shape cannot hold is kept as a flat <c>[elements]</c>.
    /// </summary>
    internal static long[] ResolveShape(IReadOnlyList<long> declared, long elements)
    {
        long fixedProduct = 1;
        var dynamicAxes = 0;
        foreach (var dimension in declared)
        {
            if (dimension < 0)
            {
                dynamicAxes++;
            }
            else
            {
                fixedProduct *= dimension;
            }
        }

        if (dynamicAxes == 0)
        {
            return fixedProduct == elements ? [.. declared] : [elements];
        }

        if (fixedProduct == 0 || elements % fixedProduct != 0)
        {
            return [elements];
        }

        var shape = new long[declared.Count];
        var resolved = false;
        for (var i = 0; i < shape.Length; i++)
        {
            shape[i] = declared[i] >= 0 ? declared[i] : resolved ? 1 : elements / fixedProduct;
            resolved |= declared[i] < 0;
        }

        return shape;
    }

    internal static string? ElementTypeName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Double => "float64",
        TensorElementType.Float16 => "float16",
        TensorElementType.BFloat16 => "bfloat16",
        TensorElementType.Int8 => "int8",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.Int16 => "int16",
        TensorElementType.UInt16 => "uint16",
        TensorElementType.Int32 => "int32",
        TensorElementType.UInt32 => "uint32",
        TensorElementType.Int64 => "int64",
        TensorElementType.UInt64 => "uint64",
        TensorElementType.Bool => "bool",
        _ => null,
    };
}
