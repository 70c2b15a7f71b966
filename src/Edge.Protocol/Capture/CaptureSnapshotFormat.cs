using System.Buffers.Binary;

namespace Edge.Protocol.Capture;

/// <summary>
/// A capture snapshot file, as a device freezes its ring and the fleet downloads it: the ASCII line
/// <c>EDGE-CAPTURE-SNAPSHOT/1</c> and a line feed, then each sample as a 4-byte little-endian length followed by that
/// many bytes of one <see cref="CaptureSampleCodec"/> record, oldest first.
/// </summary>
public static class CaptureSnapshotFormat
{
    /// <summary>The largest record accepted when reading: 256 MiB.</summary>
    public const int MaxRecordBytes = 256 * 1024 * 1024;

    private static ReadOnlySpan<byte> Magic => "EDGE-CAPTURE-SNAPSHOT/1\n"u8;

    /// <summary>Writes the file's first line.</summary>
    public static Task WriteHeaderAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return stream.WriteAsync(Magic.ToArray(), cancellationToken).AsTask();
    }

    /// <summary>Appends one encoded record (<see cref="CaptureSampleCodec.Encode"/>).</summary>
    public static async Task WriteRecordAsync(Stream stream, byte[] record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(record);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, record.Length);
        await stream.WriteAsync(length, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(record, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads every sample of a snapshot, checking each record.</summary>
    /// <exception cref="InvalidDataException">The file is not a snapshot, is truncated, or holds a damaged record; the message names its position.</exception>
    public static IEnumerable<CaptureSample> Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var magic = new byte[Magic.Length];
        if (stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) != magic.Length || !Magic.SequenceEqual(magic))
        {
            throw new InvalidDataException("The file is not a capture snapshot: it does not start with 'EDGE-CAPTURE-SNAPSHOT/1'.");
        }

        var index = 0;
        var length = new byte[4];
        while (true)
        {
            var read = stream.ReadAtLeast(length, 4, throwOnEndOfStream: false);
            if (read == 0)
            {
                yield break;
            }

            var size = read == 4 ? BinaryPrimitives.ReadInt32LittleEndian(length) : -1;
            if (size is < 0 or > MaxRecordBytes)
            {
                throw new InvalidDataException($"Capture snapshot record {index} has a bad length ({(read == 4 ? size : "truncated")}); expected 0 to {MaxRecordBytes} bytes.");
            }

            var record = new byte[size];
            if (stream.ReadAtLeast(record, size, throwOnEndOfStream: false) != size)
            {
                throw new InvalidDataException($"Capture snapshot record {index} is truncated: the file ends inside its {size} bytes.");
            }

            CaptureSample sample;
            try
            {
                sample = CaptureSampleCodec.Decode(record);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"Capture snapshot record {index}: {e.Message}", e);
            }

            yield return sample;
            index++;
        }
    }
}
