using System.Globalization;
using Google.Protobuf.Reflection;

namespace Edge.Onnx.Serialization;

/// <summary>
/// Walks a protobuf message's wire format before it is parsed and refuses any length prefix that does not fit inside
/// its enclosing message. Google.Protobuf reads a length as a 32-bit varint and drops the upper bits, so a field
/// claiming 2^62 bytes parses as an empty field: a 14-byte file became an empty model instead of an error. Known
/// message fields are followed into (by the descriptor) so a lie at any depth is named by its path; everything else
/// is skipped by its checked length, never read.
/// </summary>
internal sealed class WireLengthCheck
{
    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLengthDelimited = 2;
    private const int WireStartGroup = 3;
    private const int WireEndGroup = 4;
    private const int WireFixed32 = 5;
    private readonly Stream _stream;
    private readonly long _start;
    private readonly long _length;
    private readonly string _source;
    private readonly int _recursionLimit;

    private WireLengthCheck(Stream stream, long length, string source, int recursionLimit)
    {
        _stream = stream;
        _start = stream.Position;
        _length = length;
        _source = source;
        _recursionLimit = recursionLimit;
    }

    /// <summary>
    /// Checks the <paramref name="length"/> bytes from the stream's position as a <paramref name="root"/> message and
    /// puts the position back. The stream must be seekable.
    /// </summary>
    /// <exception cref="OnnxModelException">A length, tag or varint does not fit; the message names the field path and byte.</exception>
    public static void Run(Stream stream, long length, MessageDescriptor root, string source, int recursionLimit)
    {
        var check = new WireLengthCheck(stream, length, source, recursionLimit);
        try
        {
            check.Message(root, root.Name, check._start + length, endGroup: null, depth: 0);
        }
        finally
        {
            stream.Position = check._start;
        }
    }

    private long Offset => _stream.Position - _start;

    private void Message(MessageDescriptor? descriptor, string path, long end, ulong? endGroup, int depth)
    {
        if (depth > _recursionLimit)
        {
            throw Refuse(Offset, $"{path} nests messages deeper than the limit of {_recursionLimit}");
        }

        while (_stream.Position < end)
        {
            var at = Offset;
            var tag = ReadVarint(end, path);
            var number = tag >> 3;
            var wire = (int)(tag & 7);
            if (number is 0 or > int.MaxValue >> 3)
            {
                throw Refuse(at, $"{path} has an invalid field number {number}");
            }

            var field = descriptor?.FindFieldByNumber((int)number);
            var name = field is null ? $"{path}.<field {number}>" : $"{path}.{field.Name}";
            switch (wire)
            {
                case WireVarint:
                    ReadVarint(end, name);
                    break;
                case WireFixed64:
                    Skip(8, end, name, at);
                    break;
                case WireFixed32:
                    Skip(4, end, name, at);
                    break;
                case WireLengthDelimited:
                    var claimed = ReadVarint(end, name);
                    var remaining = end - _stream.Position;
                    if (claimed > (ulong)remaining)
                    {
                        throw Refuse(at, $"field {name} (number {number}) claims {claimed} bytes, but only {remaining} remain in its enclosing message; the file is truncated or the length is corrupt");
                    }

                    var fieldEnd = _stream.Position + (long)claimed;
                    if (field is { FieldType: FieldType.Message })
                    {
                        Message(field.MessageType, name, fieldEnd, endGroup: null, depth + 1);
                    }

                    _stream.Position = fieldEnd;
                    break;
                case WireStartGroup:
                    Message(null, name, end, endGroup: number, depth + 1);
                    break;
                case WireEndGroup when endGroup == number:
                    return;
                default:
                    throw Refuse(at, $"field {name} has wire type {wire}, which is not valid here");
            }
        }

        if (endGroup is not null)
        {
            throw Refuse(Offset, $"{path} (a group) is not closed");
        }
    }

    private void Skip(long bytes, long end, string name, long at)
    {
        if (end - _stream.Position < bytes)
        {
            throw Refuse(at, $"field {name} needs {bytes} bytes, but only {end - _stream.Position} remain");
        }

        _stream.Position += bytes;
    }

    private ulong ReadVarint(long end, string name)
    {
        var at = Offset;
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_stream.Position >= end)
            {
                throw Refuse(at, $"{name}: a varint runs past the end of its message");
            }

            var b = _stream.ReadByte();
            if (b < 0)
            {
                throw Refuse(at, $"{name}: a varint runs past the end of the data");
            }

            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw Refuse(at, $"{name}: a varint is longer than 10 bytes");
    }

    // The same shape as ModelReader's parse errors, so callers and scripts see one format for every malformed model.
    private OnnxModelException Refuse(long at, string problem) => new(string.Create(
        CultureInfo.InvariantCulture, $"'{_source}' is not an ONNX model: protobuf parse failed at byte {at} of {_length}: {problem}."));
}
