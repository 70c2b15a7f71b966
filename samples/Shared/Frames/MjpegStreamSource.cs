namespace Edge.Samples.Frames;

/// <summary>
/// Splits a stream of concatenated JPEG images (Motion JPEG as written by <c>gst-launch-1.0 ... ! jpegenc ! fdsink</c>,
/// <c>rpicam-vid --codec mjpeg -o -</c> or <c>ffmpeg -f mjpeg -</c>) into frames. The JPEG structure is followed
/// marker by marker rather than searching for the end-of-image bytes, because an EXIF thumbnail inside an APP1
/// segment carries its own end-of-image marker; inside entropy-coded data a 0xFF byte is always followed by 0x00
/// or a restart marker, so the first real 0xFF 0xD9 there ends the image.
/// </summary>
public sealed class MjpegStreamSource : FrameSource
{
    /// <summary>Largest JPEG frame accepted, in bytes. Default 32 MiB.</summary>
    public const int DefaultMaxFrameBytes = 32 * 1024 * 1024;

    private const byte Marker = 0xFF;
    private const byte StartOfImage = 0xD8;
    private const byte EndOfImage = 0xD9;
    private const byte StartOfScan = 0xDA;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly int _maxFrameBytes;
    private readonly byte[] _readBuffer = new byte[64 * 1024];
    private int _readPosition;
    private int _readLength;
    private long _index;
    private int _length;

    /// <summary>Creates a source reading <paramref name="stream"/>.</summary>
    /// <param name="stream">The MJPEG byte stream, for example stdin.</param>
    /// <param name="ownsStream">Whether disposing the source disposes the stream.</param>
    /// <param name="maxFrameBytes">Largest frame accepted; a larger one throws <see cref="InvalidDataException"/>.</param>
    public MjpegStreamSource(Stream stream, bool ownsStream = true, int maxFrameBytes = DefaultMaxFrameBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameBytes, 4);
        _stream = stream;
        _ownsStream = ownsStream;
        _maxFrameBytes = maxFrameBytes;
    }

    /// <inheritdoc />
    public override string Description => "MJPEG stream";

    /// <inheritdoc />
    public override async ValueTask<bool> ReadAsync(CapturedFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);

        // Anything before the start-of-image marker (a pipeline's banner, a partial frame after a restart) is skipped.
        var previous = -1;
        while (true)
        {
            var b = await ReadByteAsync(cancellationToken);
            if (b < 0)
            {
                return false;
            }

            if (previous == Marker && b == StartOfImage)
            {
                break;
            }

            previous = b;
        }

        _length = 0;
        Append(frame, Marker);
        Append(frame, StartOfImage);
        var marker = await ReadMarkerAsync(cancellationToken);
        while (true)
        {
            Append(frame, Marker);
            Append(frame, (byte)marker);
            if (marker == EndOfImage)
            {
                break;
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                marker = await ReadMarkerAsync(cancellationToken);
                continue; // standalone markers carry no length
            }

            var high = await ReadInFrameAsync(cancellationToken);
            var low = await ReadInFrameAsync(cancellationToken);
            var segment = (high << 8) | low;
            if (segment < 2)
            {
                throw new InvalidDataException($"JPEG frame {_index}: segment 0xFF{marker:X2} declares length {segment}; it must be at least 2.");
            }

            Append(frame, (byte)high);
            Append(frame, (byte)low);
            for (var i = 2; i < segment; i++)
            {
                Append(frame, (byte)await ReadInFrameAsync(cancellationToken));
            }

            marker = marker == StartOfScan ? await ScanEntropyDataAsync(frame, cancellationToken) : await ReadMarkerAsync(cancellationToken);
        }

        frame.SetEncoded(_length, _index, $"stdin#{_index}");
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

    /// <summary>Copies entropy-coded bytes up to the next real marker, which it returns (EOI, or DHT/SOS of a progressive JPEG).</summary>
    private async ValueTask<int> ScanEntropyDataAsync(CapturedFrame frame, CancellationToken cancellationToken)
    {
        while (true)
        {
            var b = await ReadInFrameAsync(cancellationToken);
            if (b != Marker)
            {
                Append(frame, (byte)b);
                continue;
            }

            var next = await ReadInFrameAsync(cancellationToken);
            while (next == Marker)
            {
                next = await ReadInFrameAsync(cancellationToken); // fill bytes
            }

            if (next == 0x00 || next is >= 0xD0 and <= 0xD7)
            {
                Append(frame, Marker);
                Append(frame, (byte)next);
                continue;
            }

            return next;
        }
    }

    /// <summary>Reads the next marker code after optional fill bytes; anything else between segments is corrupt data.</summary>
    private async ValueTask<int> ReadMarkerAsync(CancellationToken cancellationToken)
    {
        var b = await ReadInFrameAsync(cancellationToken);
        if (b != Marker)
        {
            throw new InvalidDataException($"JPEG frame {_index}: expected a marker (0xFF) at byte {_length}; got 0x{b:X2}. The stream is not Motion JPEG.");
        }

        do
        {
            b = await ReadInFrameAsync(cancellationToken);
        }
        while (b == Marker);
        return b;
    }

    private void Append(CapturedFrame frame, byte value)
    {
        if (_length >= _maxFrameBytes)
        {
            throw new InvalidDataException($"JPEG frame {_index} is larger than the {_maxFrameBytes}-byte limit; the stream is corrupt or not MJPEG.");
        }

        var buffer = frame.Reserve(_length + 1, _length);
        buffer[_length++] = value;
    }

    private async ValueTask<int> ReadInFrameAsync(CancellationToken cancellationToken)
    {
        var b = await ReadByteAsync(cancellationToken);
        return b >= 0 ? b : throw new EndOfStreamException($"The MJPEG stream ended inside frame {_index} after {_length} bytes.");
    }

    private ValueTask<int> ReadByteAsync(CancellationToken cancellationToken)
    {
        // Buffered fast path: no state machine while bytes are in hand.
        return _readPosition < _readLength ? ValueTask.FromResult<int>(_readBuffer[_readPosition++]) : FillAndReadAsync(cancellationToken);
    }

    private async ValueTask<int> FillAndReadAsync(CancellationToken cancellationToken)
    {
        _readLength = await _stream.ReadAsync(_readBuffer, cancellationToken);
        _readPosition = 0;
        return _readLength == 0 ? -1 : _readBuffer[_readPosition++];
    }
}
