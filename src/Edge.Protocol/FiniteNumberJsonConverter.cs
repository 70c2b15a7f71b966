using System.Text.Json;
using System.Text.Json.Serialization;

namespace Edge.Protocol;

/// <summary>
/// How every protocol payload writes a measurement: JSON has no NaN or infinity, so a value that is not a finite
/// number (a percentile of no calls, a sensor that returned garbage) is written as <c>null</c>, which readers take
/// as "not measured", instead of failing the whole message. A number read that does not fit a double (<c>1e999</c>)
/// is refused with a <see cref="JsonException"/>, as any other malformed field is.
/// </summary>
public sealed class FiniteNumberJsonConverter : JsonConverter<double>
{
    /// <summary>Reads a finite number.</summary>
    /// <exception cref="JsonException">The token is not a number, or it does not fit a double.</exception>
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value) && double.IsFinite(value)
            ? value
            : throw new JsonException($"expected a finite number, but found {(reader.TokenType == JsonTokenType.Number ? "one beyond the range of a double" : reader.TokenType.ToString())}");

    /// <summary>Writes <paramref name="value"/>, or <c>null</c> when it is NaN or infinite.</summary>
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
