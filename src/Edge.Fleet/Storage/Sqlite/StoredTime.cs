using System.Globalization;

namespace Edge.Fleet.Storage.Sqlite;

/// <summary>Times are stored as fixed-width ISO 8601 UTC text so that text order is time order in SQL.</summary>
internal static class StoredTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string ToText(DateTimeOffset time) => time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static string? ToText(DateTimeOffset? time) => time is { } value ? ToText(value) : null;

    public static DateTimeOffset FromText(string text) =>
        DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateTimeOffset? FromNullable(object? value) => value is string text ? FromText(text) : null;
}
