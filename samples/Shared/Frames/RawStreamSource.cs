using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Samples.Frames;

/// <summary>
/// Reads fixed-size raw frames back to back from a stream, as written by <c>gst-launch-1.0 ... ! video/x-raw,format=NV12 ! fdsink</c>,
/// <c>v4l2-ctl --stream-to=-</c> or <c>rpicam-vid --codec yuv420</c> style pipelines (tightly packed rows).
/// </summary>
public sealed class RawStreamSource : FrameSource
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly int _width;
    private readonly int _height;
    private readonly PixelFormat _format;
    private long _index;

    /// <summary>Creates a source of <paramref name="width"/> x <paramref name="height"/> frames in <paramref name="format"/>.</summary>
    /// <exception cref="ArgumentException">The size does not suit the format (NV12 and YUYV need even sizes).</exception>
    public RawStreamSource(Stream stream, int width, int height, PixelFormat format, bool ownsStream = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        FrameBytes = SizeOf(width, height, format);
        _stream = stream;
        _ownsStream = ownsStream;
        _width = width;
        _height = height;
        _format = format;
    }

    /// <summary>Bytes in one frame.</summary>
    public int FrameBytes { get; }

    /// <inheritdoc />
    public override string Description => $"raw {_format} {_width}x{_height} stream";

    /// <summary>Bytes of one tightly packed frame; validates the size against the format.</summary>
    /// <exception cref="ArgumentException">The size does not suit the format.</exception>
    public static int SizeOf(int width, int height, PixelFormat format)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var rows = format == PixelFormat.Nv12 ? height + (height / 2) : height;
        var bytes = (long)width * ImageFrame.BytesPerPixel(format) * rows;
        if ((format is PixelFormat.Nv12 or PixelFormat.Yuyv && width % 2 != 0) || (format == PixelFormat.Nv12 && height % 2 != 0))
        {
            throw new ArgumentException($"{format} frames need an even width{(format == PixelFormat.Nv12 ? " and height" : string.Empty)}; got {width}x{height}.", nameof(width));
        }

        return bytes <= int.MaxValue ? (int)bytes : throw new ArgumentException($"A {width}x{height} {format} frame takes {bytes} bytes; at most {int.MaxValue} are supported.", nameof(width));
    }

    /// <inheritdoc />
    public override async ValueTask<bool> ReadAsync(CapturedFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var buffer = frame.Reserve(FrameBytes);
        var read = 0;
        while (read < FrameBytes)
        {
            var n = await _stream.ReadAsync(buffer.AsMemory(read, FrameBytes - read), cancellationToken);
            if (n == 0)
            {
                return read == 0
                    ? false
                    : throw new EndOfStreamException($"The raw stream ended inside frame {_index} after {read} of {FrameBytes} bytes ({_width}x{_height} {_format}); check the size and format given.");
            }

            read += n;
        }

        frame.SetRaw(FrameBytes, _width, _height, _format, _index, $"stdin#{_index}");
        _index++;
        return true;
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (_ownsStream)
        {
            await _stream.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
