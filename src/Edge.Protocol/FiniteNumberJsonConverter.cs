using System.Text.Json;
using System.Text.Json.Serialization;

namespace Edge.Protocol;

/// <summary>
/// How every protocol payload writes a measurement: JSON has no NaN or infinity, so a value that is not a finite
/// number (a percentile of no calls, a sensor that returned garbage) is written as <c>null</c>, which readers take
/// as "not measured", instead of failing the whole message. A number read that does not fit a double (<c>1e999</c>)
/// is refused with a <see cref="JsonException"/>, as any other malformed field is.
/// </summary>
internal sealed class FiniteNumberJsonConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value) && double.IsFinite(value)
            ? value
            : throw new JsonException($"expected a finite number, but found {(reader.TokenType == JsonTokenType.Number ? "one beyond the range of a double" : reader.TokenType.ToString())}");

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
