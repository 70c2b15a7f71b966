using Google.Protobuf;

namespace Edge.TestUtilities.Otlp;

/// <summary>
/// A protobuf message read field by field with <see cref="CodedInputStream"/>, without its schema: enough to walk an
/// OTLP request by the field numbers of opentelemetry-proto (collector/metrics/v1, trace/v1, common/v1).
/// </summary>
public sealed class ProtoMessage
{
    private readonly List<(int Field, WireFormat.WireType Type, ulong Number, ByteString Bytes)> _fields = [];

    public ProtoMessage(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = WireFormat.GetTagFieldNumber(tag);
            var type = WireFormat.GetTagWireType(tag);
            switch (type)
            {
                case WireFormat.WireType.Varint:
                    _fields.Add((field, type, input.ReadUInt64(), ByteString.Empty));
                    break;
                case WireFormat.WireType.Fixed64:
                    _fields.Add((field, type, input.ReadFixed64(), ByteString.Empty));
                    break;
                case WireFormat.WireType.Fixed32:
                    _fields.Add((field, type, input.ReadFixed32(), ByteString.Empty));
                    break;
                case WireFormat.WireType.LengthDelimited:
                    _fields.Add((field, type, 0, input.ReadBytes()));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
    }

    /// <summary>Every embedded message in <paramref name="field"/> (a repeated message field).</summary>
    public IEnumerable<ProtoMessage> Messages(int field) =>
        _fields.Where(f => f.Field == field && f.Type == WireFormat.WireType.LengthDelimited).Select(f => new ProtoMessage(f.Bytes));

    public ProtoMessage? Message(int field) => Messages(field).FirstOrDefault();

    public string? Text(int field) =>
        _fields.Where(f => f.Field == field && f.Type == WireFormat.WireType.LengthDelimited).Select(f => f.Bytes.ToStringUtf8()).FirstOrDefault();

    public ulong? Number(int field) =>
        _fields.Where(f => f.Field == field && f.Type != WireFormat.WireType.LengthDelimited).Select(f => (ulong?)f.Number).FirstOrDefault();

    /// <summary>A <c>fixed64</c> double field (OTLP's <c>as_double</c>, <c>sum</c>).</summary>
    public double? Real(int field) => Number(field) is { } bits ? BitConverter.Int64BitsToDouble((long)bits) : null;

    /// <summary>OTLP <c>KeyValue</c> attributes in <paramref name="field"/>, values as text (string, bool, int or double).</summary>
    public Dictionary<string, string> Attributes(int field)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Messages(field))
        {
            var value = pair.Message(2);
            var text = value?.Text(1)
                ?? (value?.Number(2) is { } flag ? (flag != 0).ToString() : null)
                ?? (value?.Number(3) is { } integer ? ((long)integer).ToString(System.Globalization.CultureInfo.InvariantCulture) : null)
                ?? value?.Real(4)?.ToString(System.Globalization.CultureInfo.InvariantCulture)
                ?? string.Empty;
            attributes[pair.Text(1) ?? string.Empty] = text;
        }

        return attributes;
    }
}
