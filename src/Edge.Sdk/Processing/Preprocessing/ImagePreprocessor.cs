using System.Runtime.InteropServices;
using System.Numerics.Tensors;

namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>
/// Applies a <see cref="PreprocessSpec"/> to raw frames and decoded images, writing straight into a caller-provided
/// tensor buffer (for example the span of an ONNX Runtime input <c>OrtValue</c>), so the hot path copies nothing.
/// </summary>
/// <remarks>
/// Resize, crop, colour conversion and normalisation happen in one pass: each needed source row is resampled
/// horizontally once, rows are blended vertically, and each output row is normalised with vectorised
/// <see cref="TensorPrimitives"/> directly into its place in the tensor. The filter tables and scratch rows depend only
/// on the frame size and format and are kept between calls, so same-sized frames allocate nothing.
/// An instance is therefore not thread-safe: use one per thread or pipeline.
/// </remarks>
public sealed partial class ImagePreprocessor
{
    private readonly float[] _multiplier;
    private readonly float[] _addend;
    private readonly int[] _component;
    private FramePlan? _plan;

    /// <summary>Validates the spec and prepares the per-channel normalisation constants.</summary>
    /// <exception cref="PreprocessSpecException">The spec is invalid; every problem is listed.</exception>
    public ImagePreprocessor(PreprocessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();

        // A private snapshot: the spec is a mutable options object and the plan must not change under us.
        spec = spec with { Mean = spec.Mean?.ToArray(), Std = spec.Std?.ToArray() };
        Spec = spec;
        var channels = spec.Channels;
        _multiplier = new float[channels];
        _addend = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            var mean = spec.Mean?[c] ?? 0f;
            var std = spec.Std?[c] ?? 1f;

            // (pixel * scale - mean) / std folded into pixel * multiplier + addend: one fused multiply-add per value.
            _multiplier[c] = spec.Scale / std;
            _addend[c] = -mean / std;
        }

        // Which planar R|G|B component feeds each output channel; -1 marks computed luma.
        _component = spec.ColorOrder switch
        {
            ColorOrder.Bgr => [2, 1, 0],
            ColorOrder.Grayscale => [-1],
            _ => [0, 1, 2],
        };
    }

    /// <summary>A copy of the validated spec this preprocessor applies; changing it has no effect.</summary>
    public PreprocessSpec Spec { get; }

    /// <summary>Number of elements every destination must hold: <see cref="PreprocessSpec.OutputLength"/>.</summary>
    public int OutputLength => Spec.OutputLength;

    /// <summary>Preprocesses a frame into a float32 tensor buffer.</summary>
    /// <param name="frame">The source frame.</param>
    /// <param name="destination">At least <see cref="OutputLength"/> elements; the first <see cref="OutputLength"/> are overwritten.</param>
    /// <returns>The geometry applied, for mapping model coordinates back to the frame.</returns>
    /// <exception cref="InvalidOperationException">The spec's data type is not float32.</exception>
    /// <exception cref="ArgumentException">The destination is too small.</exception>
    public ImageTransform Process(ImageFrame frame, Span<float> destination)
    {
        RequireType(TensorDataType.Float32);
        return Run(frame, MemoryMarshal.AsBytes(CheckLength(destination)));
    }

    /// <summary>Preprocesses a frame into a float16 tensor buffer (spec data type <see cref="TensorDataType.Float16"/>).</summary>
    /// <inheritdoc cref="Process(ImageFrame, Span{float})"/>
    public ImageTransform Process(ImageFrame frame, Span<Half> destination)
    {
        RequireType(TensorDataType.Float16);
        return Run(frame, MemoryMarshal.AsBytes(CheckLength(destination)));
    }

    /// <summary>Preprocesses a frame into a uint8 tensor buffer (spec data type <see cref="TensorDataType.UInt8"/>).</summary>
    /// <inheritdoc cref="Process(ImageFrame, Span{float})"/>
    public ImageTransform Process(ImageFrame frame, Span<byte> destination)
    {
        RequireType(TensorDataType.UInt8);
        return Run(frame, CheckLength(destination));
    }

    /// <summary>Allocating convenience: preprocesses a frame into a new float32 array of <see cref="OutputLength"/> elements.</summary>
    /// <param name="frame">The source frame.</param>
    /// <param name="transform">The geometry applied.</param>
    public float[] ProcessToArray(ImageFrame frame, out ImageTransform transform)
    {
        var tensor = new float[OutputLength];
        transform = Process(frame, tensor);
        return tensor;
    }

    private ImageTransform Run(ImageFrame frame, Span<byte> destination)
    {
        var plan = _plan;
        if (plan is null || !plan.Matches(frame.Width, frame.Height, frame.Format))
        {
            plan = new FramePlan(Spec, frame.Width, frame.Height, frame.Format);
            _plan = plan;
        }

        plan.ResetRing();
        if (plan.XAxis.Count != Spec.Width || plan.YAxis.Count != Spec.Height)
        {
            FillPadding(destination);
        }

        var contentWidth = plan.XAxis.Count;
        var taps = plan.YAxis.Taps;
        var blended = plan.Blended;
        for (var row = 0; row < plan.YAxis.Count; row++)
        {
            for (var k = 0; k < taps; k++)
            {
                var sourceRow = plan.YAxis.Index[(row * taps) + k];
                var slot = sourceRow % taps;
                if (plan.RingTags[slot] != sourceRow)
                {
                    ResampleRow(frame, plan, sourceRow, plan.RingRows[slot]);
                    plan.RingTags[slot] = sourceRow;
                }
            }

            // Vertical blend of the ring rows, all three components at once (they are stored contiguously).
            var first = plan.YAxis.Index[row * taps];
            TensorPrimitives.Multiply(plan.RingRows[first % taps], plan.YAxis.Weight[row * taps], blended);
            for (var k = 1; k < taps; k++)
            {
                var weight = plan.YAxis.Weight[(row * taps) + k];
                if (weight != 0)
                {
                    var sourceRow = plan.YAxis.Index[(row * taps) + k];
                    TensorPrimitives.MultiplyAdd(plan.RingRows[sourceRow % taps], weight, blended, blended);
                }
            }

            EmitRow(plan, plan.ContentY + row, contentWidth, destination);
        }

        return plan.Transform;
    }

    private static unsafe void ResampleRow(ImageFrame frame, FramePlan plan, int sourceRow, float[] output)
    {
        ReadOnlySpan<byte> row;
        switch (frame.Format)
        {
            case PixelFormat.Nv12:
                YuvRowConverter.Nv12(frame.Data, frame.Stride, frame.Height, sourceRow, plan.UsedColumns, plan.ConvertedRow);
                row = plan.ConvertedRow;
                break;
            case PixelFormat.Yuyv:
                YuvRowConverter.Yuyv(frame.Data, frame.Stride, sourceRow, plan.UsedColumns, plan.ConvertedRow);
                row = plan.ConvertedRow;
                break;
            default:
                row = frame.Data.Slice(sourceRow * frame.Stride);
                break;
        }

        var count = plan.XAxis.Count;
        var taps = plan.XAxis.Taps;
        int red = plan.RedOffset, green = plan.GreenOffset, blue = plan.BlueOffset;

        // Offsets were computed from clamped indices, so every read stays inside the row; pointers skip bounds checks
        // in the hottest loop of the pipeline.
        fixed (byte* source = row)
        fixed (int* offsets = plan.ColumnOffsets)
        fixed (float* weights = plan.XAxis.Weight)
        fixed (float* target = output)
        {
            float* r = target, g = target + count, b = target + (2 * count);
            if (taps == 2)
            {
                for (var x = 0; x < count; x++)
                {
                    byte* p0 = source + offsets[2 * x], p1 = source + offsets[(2 * x) + 1];
                    float w0 = weights[2 * x], w1 = weights[(2 * x) + 1];
                    r[x] = (p0[red] * w0) + (p1[red] * w1);
                    g[x] = (p0[green] * w0) + (p1[green] * w1);
                    b[x] = (p0[blue] * w0) + (p1[blue] * w1);
                }

                return;
            }

            for (var x = 0; x < count; x++)
            {
                float sumR = 0, sumG = 0, sumB = 0;
                for (var k = 0; k < taps; k++)
                {
                    var p = source + offsets[(x * taps) + k];
                    var w = weights[(x * taps) + k];
                    sumR += p[red] * w;
                    sumG += p[green] * w;
                    sumB += p[blue] * w;
                }

                r[x] = sumR;
                g[x] = sumG;
                b[x] = sumB;
            }
        }
    }

    private void RequireType(TensorDataType type)
    {
        if (Spec.DataType != type)
        {
            throw new InvalidOperationException(
                $"The spec produces {Spec.DataType} but a {type} destination was passed; use the Process overload for {Spec.DataType}.");
        }
    }

    private Span<T> CheckLength<T>(Span<T> destination)
    {
        if (destination.Length < OutputLength)
        {
            throw new ArgumentException(
                $"Destination holds {destination.Length} elements but the spec produces {OutputLength} ({string.Join('x', Spec.OutputShape)} {Spec.Layout}).",
                nameof(destination));
        }

        return destination[..OutputLength];
    }
}
