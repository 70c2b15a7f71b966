using System.Text.Json;
using System.Text.Json.Serialization;

namespace Edge.Packaging;

/// <summary>Reads and writes a <see cref="PackageDimension"/> as a JSON number (fixed) or string (symbolic).</summary>
internal sealed class PackageDimensionJsonConverter : JsonConverter<PackageDimension>
{
    public override PackageDimension Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetInt64(out var size) && size >= 0 => PackageDimension.Fixed(size),
            JsonTokenType.String when !string.IsNullOrWhiteSpace(reader.GetString()) => PackageDimension.Symbolic(reader.GetString()!),
            _ => throw new JsonException($"A shape dimension must be a non-negative integer or a non-empty string, got {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, PackageDimension value, JsonSerializerOptions options)
    {
        if (value.Size is { } size)
        {
            writer.WriteNumberValue(size);
        }
        else
        {
            writer.WriteStringValue(value.Symbol ?? "?");
        }
    }
}
