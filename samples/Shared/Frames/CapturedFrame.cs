using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Samples.Frames;

/// <summary>
/// One frame read by a <see cref="FrameSource"/>. The object and its buffer are reused for every frame, so the
/// steady state allocates nothing per frame; <see cref="Data"/> is valid until the next read into it.
/// </summary>
public sealed class CapturedFrame
{
    private byte[] _buffer = new byte[64 * 1024];

    /// <summary>The frame's bytes: an encoded image or raw pixels, as <see cref="Kind"/> says.</summary>
    public ReadOnlySpan<byte> Data => _buffer.AsSpan(0, Length);

    /// <summary><see cref="Data"/> as memory, for <c>RawFrames.Attach</c> (valid until the next frame is read into this one).</summary>
    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>
    /// The frame's media type for <c>RawFrames.Attach</c>: <c>image/jpeg</c> or <c>image/png</c> by their signatures,
    /// <c>application/octet-stream</c> for other encodings and for raw pixels (whose size and format are in
    /// <see cref="Width"/>, <see cref="Height"/> and <see cref="Format"/>).
    /// </summary>
    public string MediaType => Data switch
    {
        [0xFF, 0xD8, 0xFF, ..] when Kind == FrameKind.Encoded => "image/jpeg",
        [0x89, 0x50, 0x4E, 0x47, ..] when Kind == FrameKind.Encoded => "image/png",
        _ => "application/octet-stream",
    };

    /// <summary>Number of valid bytes in <see cref="Data"/>.</summary>
    public int Length { get; private set; }

    /// <summary>Encoded image or raw pixels.</summary>
    public FrameKind Kind { get; private set; }

    /// <summary>Width in pixels of a raw frame; 0 for an encoded one (known after decoding).</summary>
    public int Width { get; private set; }

    /// <summary>Height in pixels of a raw frame; 0 for an encoded one.</summary>
    public int Height { get; private set; }

    /// <summary>Pixel layout of a raw frame.</summary>
    public PixelFormat Format { get; private set; }

    /// <summary>0-based position of the frame in its source.</summary>
    public long Index { get; private set; }

    /// <summary>The file name for an image folder, or <c>stdin#{index}</c> for a stream.</summary>
    public string Name { get; private set; } = string.Empty;

    /// <summary>Grows the buffer to hold at least <paramref name="length"/> bytes, keeping <paramref name="keep"/> bytes already written.</summary>
    internal byte[] Reserve(int length, int keep = 0)
    {
        if (_buffer.Length < length)
        {
            var larger = new byte[Math.Max(length, _buffer.Length * 2)];
            _buffer.AsSpan(0, keep).CopyTo(larger);
            _buffer = larger;
        }

        return _buffer;
    }

    /// <summary>Copies <paramref name="other"/>'s bytes and description into this frame.</summary>
    internal void CopyFrom(CapturedFrame other)
    {
        var buffer = Reserve(other.Length);
        other.Data.CopyTo(buffer);
        Length = other.Length;
        Kind = other.Kind;
        Width = other.Width;
        Height = other.Height;
        Format = other.Format;
        Index = other.Index;
        Name = other.Name;
    }

    internal void SetEncoded(int length, long index, string name)
    {
        Length = length;
        Kind = FrameKind.Encoded;
        Width = 0;
        Height = 0;
        Index = index;
        Name = name;
    }

    internal void SetRaw(int length, int width, int height, PixelFormat format, long index, string name)
    {
        Length = length;
        Kind = FrameKind.Raw;
        Width = width;
        Height = height;
        Format = format;
        Index = index;
        Name = name;
    }
}
