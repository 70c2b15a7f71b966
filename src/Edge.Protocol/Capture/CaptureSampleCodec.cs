using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Edge.Protocol.Capture;

/// <summary>
/// The self-describing encoding of one <see cref="CaptureSample"/>, used for the device's ring files and inside
/// snapshots: the 6 ASCII bytes <c>ECAP1</c> and a line feed, a compact UTF-8 JSON header (schema
/// <c>edge.capture-sample/1</c>: model, version, sequence, capturedAt, input and output with name, elementType, shape
/// and bytes, and the SHA-256 of the data) and a line feed, then the input's bytes followed by the output's. A sample
/// with a raw frame has schema <c>edge.capture-sample/2</c>, a <c>rawFrame</c> object (mediaType, bytes) in its header
/// and the frame's bytes after the output's, inside the SHA-256. A torn or altered record fails <see cref="Decode"/>.
/// </summary>
public static class CaptureSampleCodec
{
    /// <summary>The header's schema.</summary>
    public const string Schema = "edge.capture-sample/1";

    /// <summary>The header's schema when the sample carries a raw frame.</summary>
    public const string SchemaWithRawFrame = "edge.capture-sample/2";

    private static ReadOnlySpan<byte> Magic => "ECAP1\n"u8;

    /// <summary>Encodes <paramref name="sample"/>.</summary>
    /// <exception cref="ArgumentException">A tensor's element type is unknown or its data does not match its shape.</exception>
    public static byte[] Encode(CaptureSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        CheckTensor(sample.Input, "input", m => new ArgumentException(m, nameof(sample)));
        CheckTensor(sample.Output, "output", m => new ArgumentException(m, nameof(sample)));
        var raw = sample.RawFrame;
        if (raw is not null && !CaptureRawFrame.IsValidMediaType(raw.MediaType))
        {
            throw new ArgumentException($"The raw frame's media type '{raw.MediaType}' is not type/subtype of at most {CaptureRawFrame.MaxMediaTypeLength} printable ASCII characters.", nameof(sample));
        }

        var rawData = raw?.Data ?? [];
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(sample.Input.Data);
        hash.AppendData(sample.Output.Data);
        hash.AppendData(rawData);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("schema", raw is null ? Schema : SchemaWithRawFrame);
            json.WriteString("model", sample.Model);
            json.WriteString("version", sample.Version);
            json.WriteNumber("sequence", sample.Sequence);
            json.WriteString("capturedAt", sample.CapturedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            WriteTensor(json, "input", sample.Input);
            WriteTensor(json, "output", sample.Output);
            if (raw is not null)
            {
                json.WriteStartObject("rawFrame");
                json.WriteString("mediaType", raw.MediaType);
                json.WriteNumber("bytes", rawData.Length);
                json.WriteEndObject();
            }

            json.WriteString("sha256", Convert.ToHexStringLower(hash.GetHashAndReset()));
            json.WriteEndObject();
        }

        hash.Dispose();
        var record = new byte[checked(Magic.Length + buffer.WrittenCount + 1 + sample.Input.Data.Length + sample.Output.Data.Length + rawData.Length)];
        var span = record.AsSpan();
        Magic.CopyTo(span);
        buffer.WrittenSpan.CopyTo(span[Magic.Length..]);
        var at = Magic.Length + buffer.WrittenCount;
        span[at++] = (byte)'\n';
        sample.Input.Data.CopyTo(span[at..]);
        sample.Output.Data.CopyTo(span[(at + sample.Input.Data.Length)..]);
        rawData.CopyTo(span[(at + sample.Input.Data.Length + sample.Output.Data.Length)..]);
        return record;
    }

    /// <summary>Decodes and checks one record.</summary>
    /// <exception cref="InvalidDataException">The record is torn, altered or not a capture sample; the message says what is wrong.</exception>
    public static CaptureSample Decode(ReadOnlySpan<byte> record)
    {
        if (!record.StartsWith(Magic))
        {
            throw new InvalidDataException($"A capture sample of {record.Length} bytes does not start with 'ECAP1\\n'.");
        }

        var rest = record[Magic.Length..];
        var newline = rest.IndexOf((byte)'\n');
        if (newline < 0)
        {
            throw new InvalidDataException($"A capture sample of {record.Length} bytes has no line feed after its JSON header.");
        }

        var data = rest[(newline + 1)..];
        try
        {
            using var document = JsonDocument.Parse(rest[..newline].ToArray());
            var root = document.RootElement;
            var schema = root.GetProperty("schema").GetString();
            if (schema is not (Schema or SchemaWithRawFrame))
            {
                throw new InvalidDataException($"A capture sample's schema is '{schema}', expected '{Schema}' or '{SchemaWithRawFrame}'.");
            }

            var input = ReadTensor(root.GetProperty("input"), "input");
            var output = ReadTensor(root.GetProperty("output"), "output");
            var (mediaType, rawBytes) = schema == SchemaWithRawFrame ? ReadRawFrame(root.GetProperty("rawFrame")) : (null, 0L);
            if (data.Length != checked(input.Bytes + output.Bytes + rawBytes))
            {
                var parts = mediaType is null ? $"{input.Bytes} + {output.Bytes}" : $"{input.Bytes} + {output.Bytes} + {rawBytes} (raw frame)";
                throw new InvalidDataException($"A capture sample carries {data.Length} data bytes; its header says {parts}.");
            }

            var actual = Convert.ToHexStringLower(SHA256.HashData(data));
            var expected = root.GetProperty("sha256").GetString();
            if (!string.Equals(actual, expected, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"A capture sample's data has SHA-256 {actual}; its header says {expected}.");
            }

            var outputEnd = (int)(input.Bytes + output.Bytes);
            return new CaptureSample(
                root.GetProperty("model").GetString() ?? throw new InvalidDataException("A capture sample's 'model' is null."),
                root.GetProperty("version").GetString() ?? throw new InvalidDataException("A capture sample's 'version' is null."),
                root.GetProperty("sequence").GetInt64(),
                DateTimeOffset.Parse(root.GetProperty("capturedAt").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                input.Tensor with { Data = data[..(int)input.Bytes].ToArray() },
                output.Tensor with { Data = data[(int)input.Bytes..outputEnd].ToArray() })
            {
                RawFrame = mediaType is null ? null : new CaptureRawFrame(mediaType, data[outputEnd..].ToArray()),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException or ArgumentNullException)
        {
            throw new InvalidDataException($"A capture sample's header is malformed: {e.Message}", e);
        }
    }

    private static (string MediaType, long Bytes) ReadRawFrame(JsonElement element)
    {
        var mediaType = element.GetProperty("mediaType").GetString();
        if (!CaptureRawFrame.IsValidMediaType(mediaType))
        {
            throw new InvalidDataException($"A capture sample's raw frame has media type '{mediaType}'; expected type/subtype of at most {CaptureRawFrame.MaxMediaTypeLength} printable ASCII characters.");
        }

        var bytes = element.GetProperty("bytes").GetInt64();
        if (bytes < 0)
        {
            throw new InvalidDataException($"A capture sample's raw frame has {bytes} bytes; expected 0 or more.");
        }

        return (mediaType!, bytes);
    }

    private static void WriteTensor(Utf8JsonWriter json, string name, CaptureTensor tensor)
    {
        json.WriteStartObject(name);
        json.WriteString("name", tensor.Name);
        json.WriteString("elementType", tensor.ElementType);
        json.WriteStartArray("shape");
        foreach (var dimension in tensor.Shape)
        {
            json.WriteNumberValue(dimension);
        }

        json.WriteEndArray();
        json.WriteNumber("bytes", tensor.Data.Length);
        json.WriteEndObject();
    }

    private static (CaptureTensor Tensor, long Bytes) ReadTensor(JsonElement element, string role)
    {
        var shape = element.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        var tensor = new CaptureTensor(
            element.GetProperty("name").GetString() ?? throw new InvalidDataException($"A capture sample's {role} name is null."),
            element.GetProperty("elementType").GetString() ?? string.Empty,
            shape,
            []);
        var bytes = element.GetProperty("bytes").GetInt64();
        CheckShape(tensor, bytes, role, m => new InvalidDataException(m));
        return (tensor, bytes);
    }

    private static void CheckTensor(CaptureTensor tensor, string role, Func<string, Exception> error) => CheckShape(tensor, tensor.Data.Length, role, error);

    private static void CheckShape(CaptureTensor tensor, long bytes, string role, Func<string, Exception> error)
    {
        var size = CaptureTensor.ElementSize(tensor.ElementType);
        if (size == 0)
        {
            throw error($"The {role} '{tensor.Name}' has element type '{tensor.ElementType}'; expected float32, float64, float16, bfloat16, int8, uint8, int16, uint16, int32, uint32, int64, uint64 or bool.");
        }

        long elements = 1;
        foreach (var dimension in tensor.Shape)
        {
            if (dimension < 0)
            {
                throw error($"The {role} '{tensor.Name}' has shape [{string.Join(", ", tensor.Shape)}]; dimensions must be 0 or more.");
            }

            elements = checked(elements * dimension);
        }

        if (checked(elements * size) != bytes)
        {
            throw error($"The {role} '{tensor.Name}' of shape [{string.Join(", ", tensor.Shape)}] {tensor.ElementType} needs {elements * size} bytes; it has {bytes}.");
        }
    }
}
