namespace Edge.Packaging;

/// <summary>
/// Passes a tar stream through, read-only and forward-only, while following its headers: a metadata entry (pax
/// <c>x</c>/<c>g</c>, GNU <c>L</c>/<c>K</c>) whose size field claims more than the limit is refused as soon as its
/// header has passed, before System.Formats.Tar reads the header's size and rents a buffer that large (a 14-byte lie
/// would otherwise cost up to 2 GiB of memory). Does not dispose the stream it wraps.
/// </summary>
internal sealed class TarMetadataLimitStream : Stream
{
    private const int Block = 512;
    private readonly Stream _inner;
    private readonly long _maxMetadataBytes;
    private readonly byte[] _header = new byte[Block];
    private long _position;
    private long _nextHeader;
    private int _headerFilled;
    private bool _lost;

    public TarMetadataLimitStream(Stream inner, long maxMetadataBytes)
    {
        _inner = inner;
        _maxMetadataBytes = maxMetadataBytes;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        Observe(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Observe(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty && !_lost)
        {
            if (_position < _nextHeader)
            {
                var skip = (int)Math.Min(data.Length, _nextHeader - _position);
                _position += skip;
                data = data[skip..];
                continue;
            }

            var take = Math.Min(Block - _headerFilled, data.Length);
            data[..take].CopyTo(_header.AsSpan(_headerFilled));
            _headerFilled += take;
            _position += take;
            data = data[take..];
            if (_headerFilled == Block)
            {
                _headerFilled = 0;
                OnHeader();
            }
        }

        _position += data.Length;
    }

    private void OnHeader()
    {
        if (!TryReadSize(_header.AsSpan(124, 12), out var size))
        {
            // Not a size this class can follow: the tar reader refuses the header itself; stop following.
            _lost = true;
            return;
        }

        var type = (char)_header[156];
        if (type is 'x' or 'g' or 'L' or 'K' && size > _maxMetadataBytes)
        {
            var what = type is 'x' or 'g' ? "pax extended header" : type == 'L' ? "GNU long name" : "GNU long link name";
            throw new PackageVerificationException(PackageFailureKind.CorruptArchive,
                $"The package is not a valid tar archive: the {what} ('{type}') at byte {_position - Block} claims {size} bytes; at most {_maxMetadataBytes} are accepted.");
        }

        // Data is padded to whole blocks; checked because the size came from the archive.
        _nextHeader = checked(_position + (((size + Block - 1) / Block) * Block));
    }

    /// <summary>Octal digits (with leading spaces or zeros, ended by NUL or space), or base-256 when the first byte has its high bit set.</summary>
    private static bool TryReadSize(ReadOnlySpan<byte> field, out long size)
    {
        size = 0;
        if ((field[0] & 0x80) != 0)
        {
            if ((field[0] & 0x7F) != 0 || field[1..4].ContainsAnyExcept((byte)0))
            {
                return false; // Negative, or beyond 2^63: no tar reader takes it.
            }

            foreach (var b in field[4..])
            {
                size = (size << 8) | b;
            }

            return size >= 0;
        }

        var digits = field.TrimStart((byte)' ');
        var seen = false;
        foreach (var b in digits)
        {
            if (b is 0 or (byte)' ')
            {
                break;
            }

            if (b is < (byte)'0' or > (byte)'7' || size > (long.MaxValue >> 3))
            {
                return false;
            }

            size = (size << 3) | (long)(b - '0');
            seen = true;
        }

        return seen || digits.IsEmpty || digits[0] is 0;
    }
}
