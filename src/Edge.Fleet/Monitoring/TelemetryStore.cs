using System.Data.Common;

namespace Edge.Fleet.Monitoring;

/// <summary>
/// Telemetry history in the state store: one row per device, sample and model version, de-duplicated by the agent's
/// (device, seq) identity, and bounded by <see cref="PruneAsync"/>. Implemented over SQLite
/// (<see cref="SqliteTelemetryStore"/>: a row and age cap) and PostgreSQL (<see cref="PostgresTelemetryStore"/>: daily
/// partitions, 1-minute aggregates); owned by the <see cref="Storage.IFleetStore"/> that made it.
/// </summary>
internal abstract class TelemetryStore
{
    /// <summary>Stores records in one transaction; returns the rows written (duplicates are ignored).</summary>
    public abstract Task<int> AddAsync(IReadOnlyList<TelemetryRecord> records, DateTimeOffset received, CancellationToken cancellationToken);

    /// <summary>Keeps an excerpt of a message that could not be parsed, for diagnosis.</summary>
    public abstract Task AddMalformedAsync(MalformedTelemetry malformed, string excerpt, CancellationToken cancellationToken);

    /// <summary>Applies the store's retention as of <paramref name="now"/>; returns the rows deleted.</summary>
    public abstract Task<int> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Rows taken at or after <paramref name="since"/> and before <paramref name="until"/> (optionally of some devices), oldest first.</summary>
    public abstract Task<IReadOnlyList<TelemetryRow>> QueryAsync(
        DateTimeOffset since, IReadOnlyCollection<string>? devices, CancellationToken cancellationToken, DateTimeOffset? until = null);

    /// <summary>Each device's latest drift figures (the newest sample that carried a <c>drift</c> section), by device.</summary>
    public abstract Task<IReadOnlyList<StoredDrift>> LatestDriftAsync(CancellationToken cancellationToken);

    /// <summary>The raw rows stored.</summary>
    public abstract Task<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>The drift figures of <paramref name="records"/>, the newest per device.</summary>
    protected static IEnumerable<StoredDrift> LatestDrift(IReadOnlyList<TelemetryRecord> records) =>
        records.Where(r => r.Sample.Drift is not null)
            .GroupBy(r => r.Device, StringComparer.Ordinal)
            .Select(g => g.MaxBy(r => r.Timestamp)!)
            .Select(r => new StoredDrift(r.Device, r.Timestamp, r.Sample.Drift!));

    /// <summary>The rows one record becomes: one per model it reports, or one with no model.</summary>
    protected static IEnumerable<TelemetryRow> Rows(TelemetryRecord record, DateTimeOffset received)
    {
        var system = record.Sample.System;
        long? used = system is { MemoryTotalBytes: { } total, MemoryAvailableBytes: { } available } ? total - available : null;
        var inference = record.Sample.Inference.Count == 0 ? [null] : record.Sample.Inference.Cast<InferenceFigures?>();
        foreach (var figures in inference)
        {
            yield return new TelemetryRow(
                record.Device, record.Seq, record.Timestamp, received, figures?.Model ?? string.Empty, figures?.Version ?? string.Empty,
                figures?.Calls, figures?.Errors, figures?.P50Ms, figures?.P95Ms, figures?.P99Ms,
                system.CpuPercent, used, system.MemoryTotalBytes, system.TemperatureCelsius);
        }
    }

    /// <summary>The columns of <c>device_drift</c> in the order <see cref="ReadDrift"/> reads them.</summary>
    protected const string DriftColumns = "device, at, model, reference_version, window_samples, samples, input_distance, input, channel, confidence_psi, sampled, dropped";

    /// <summary>The figures of one <c>device_drift</c> row selected with <see cref="DriftColumns"/> (columns 2 to 11).</summary>
    protected static DriftFigures ReadDrift(DbDataReader reader) => new()
    {
        Model = reader.GetString(2),
        ReferenceVersion = reader.GetString(3),
        Window = reader.GetInt32(4),
        Samples = reader.GetInt32(5),
        InputDistance = reader.IsDBNull(6) ? null : reader.GetDouble(6),
        Input = reader.IsDBNull(7) ? null : reader.GetString(7),
        Channel = reader.IsDBNull(8) ? null : reader.GetInt32(8),
        ConfidencePsi = reader.IsDBNull(9) ? null : reader.GetDouble(9),
        Sampled = reader.GetInt64(10),
        Dropped = reader.GetInt64(11),
    };
}
