using System.Globalization;

namespace Edge.Fleet.Storage;

/// <summary>
/// How long the store keeps telemetry (<c>serve --keep-raw</c>, <c>--keep-aggregates</c>). PostgreSQL keeps raw rows
/// for <see cref="Raw"/>, then their 1-minute aggregates until <see cref="Aggregates"/>; SQLite keeps raw rows for
/// <see cref="Raw"/> (and at most a million), with no aggregates.
/// </summary>
internal sealed record TelemetryRetention
{
    /// <summary>Raw rows, by sample time. Default 7 days; at least 1 day (PostgreSQL drops whole daily partitions).</summary>
    public TimeSpan Raw { get; init; } = TimeSpan.FromDays(7);

    /// <summary>1-minute aggregates. Default 90 days; at least <see cref="Raw"/>.</summary>
    public TimeSpan Aggregates { get; init; } = TimeSpan.FromDays(90);

    /// <summary>Every problem, all at once; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Raw < TimeSpan.FromDays(1))
        {
            errors.Add($"--keep-raw: {Days(Raw)} is shorter than 1 day (raw rows are dropped a whole day at a time).");
        }

        if (Aggregates < Raw)
        {
            errors.Add($"--keep-aggregates: {Days(Aggregates)} is shorter than --keep-raw ({Days(Raw)}).");
        }

        return errors;
    }

    private static string Days(TimeSpan span) => span.TotalDays.ToString("0.###", CultureInfo.InvariantCulture) + " days";
}
