using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Edge.Protocol.Ota;

/// <summary>
/// Framing of a chunk message: the compact UTF-8 JSON <see cref="OtaChunkHeader"/>, one line feed (0x0A), then
/// <see cref="OtaChunkHeader.Length"/> raw data bytes. Binary data avoids base64's third more bytes, and the frame
/// needs no MQTT 5 properties, so it works on MQTT 3.1.1 too. Compact JSON never holds a raw line feed.
/// </summary>
public static class OtaChunkFrame
{
    private const byte Separator = (byte)'\n';

    /// <summary>Builds a data frame; the header's length and SHA-256 are computed from <paramref name="data"/>.</summary>
    public static byte[] Encode(string jobId, int index, long offset, ReadOnlySpan<byte> data)
    {
        var header = new OtaChunkHeader
        {
            JobId = jobId,
            Index = index,
            Offset = offset,
            Length = data.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(data)),
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(header, OtaJsonContext.Default.OtaChunkHeader);
        var frame = new byte[json.Length + 1 + data.Length];
        json.CopyTo(frame, 0);
        frame[json.Length] = Separator;
        data.CopyTo(frame.AsSpan(json.Length + 1));
        return frame;
    }

    /// <summary>Builds an error frame (no data).</summary>
    public static byte[] EncodeError(string jobId, int index, string error, long? serverSize)
    {
        var header = new OtaChunkHeader { JobId = jobId, Index = index, Error = error, ServerSize = serverSize };
        var json = JsonSerializer.SerializeToUtf8Bytes(header, OtaJsonContext.Default.OtaChunkHeader);
        var frame = new byte[json.Length + 1];
        json.CopyTo(frame, 0);
        frame[json.Length] = Separator;
        return frame;
    }

    /// <summary>
    /// Splits a frame into header and data and checks the data against the header's length and SHA-256.
    /// </summary>
    /// <exception cref="InvalidDataException">The frame is malformed, or the data does not match its header.</exception>
    public static OtaChunkHeader Decode(ReadOnlySequence<byte> payload, out ReadOnlySequence<byte> data)
    {
        var reader = new SequenceReader<byte>(payload);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> headerBytes, Separator))
        {
            throw new InvalidDataException($"A chunk frame of {payload.Length} bytes has no line feed after its JSON header.");
        }

        OtaChunkHeader header;
        try
        {
            var jsonReader = new Utf8JsonReader(headerBytes);
            header = JsonSerializer.Deserialize(ref jsonReader, OtaJsonContext.Default.OtaChunkHeader)
                ?? throw new InvalidDataException("A chunk frame's header is JSON null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"A chunk frame's header is not valid JSON: {e.Message}", e);
        }

        if (header.Schema != OtaSchemas.Chunk)
        {
            throw new InvalidDataException($"A chunk frame's schema is '{header.Schema}', expected '{OtaSchemas.Chunk}'.");
        }

        data = payload.Slice(reader.Position);
        if (header.Error is not null)
        {
            return header;
        }

        if (data.Length != header.Length)
        {
            throw new InvalidDataException($"Chunk {header.Index} of job '{header.JobId}' carries {data.Length} data bytes, its header says {header.Length}.");
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            foreach (var segment in data)
            {
                sha.AppendData(segment.Span);
            }

            sha.GetHashAndReset(hash);
        }

        var actual = Convert.ToHexStringLower(hash);
        if (!string.Equals(actual, header.Sha256, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Chunk {header.Index} of job '{header.JobId}' has SHA-256 {actual}, its header says {header.Sha256}.");
        }

        return header;
    }
}
