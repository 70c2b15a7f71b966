using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Edge.Fleet.Connection;

namespace Edge.Fleet.Monitoring;

/// <summary>
/// Parses <c>edge.telemetry/1</c> messages (plain or gzip, docs/protocol.md). Never throws on device input: whatever
/// is wrong becomes an error string that the monitor counts and shows, and the good records of a batch are kept.
/// </summary>
public static class TelemetryParser
{
    /// <summary>Largest decompressed payload accepted, so a gzip bomb cannot exhaust memory. 16 MiB.</summary>
    public const int MaxDecompressedBytes = 16 * 1024 * 1024;

    public static TelemetryParseResult Parse(string topic, ReadOnlySequence<byte> payload)
    {
        var topicDevice = DeviceOf(topic);
        byte[] bytes = payload.ToArray();
        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            if (!TryGunzip(bytes, out bytes, out var gzipError))
            {
                return Malformed(topicDevice, gzipError);
            }
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            return Malformed(topicDevice, $"not JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Malformed(topicDevice, $"the payload is a JSON {root.ValueKind}, expected an object");
            }

            var schema = root.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (schema != ProtocolSchemas.Telemetry)
            {
                return Malformed(topicDevice, $"schema is '{schema ?? "(missing)"}', expected '{ProtocolSchemas.Telemetry}'");
            }

            var device = root.TryGetProperty("device", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            if (device is null || (topicDevice is not null && device != topicDevice))
            {
                return Malformed(topicDevice, $"device is '{device ?? "(missing)"}' but the topic is for '{topicDevice}'");
            }

            if (!root.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array)
            {
                return Malformed(device, "'records' is missing or not an array");
            }

            var parsed = new List<TelemetryRecord>(records.GetArrayLength());
            var errors = new List<string>();
            var index = 0;
            foreach (var record in records.EnumerateArray())
            {
                if (TryParseRecord(device, record, out var telemetry, out var error))
                {
                    if (telemetry is not null)
                    {
                        parsed.Add(telemetry);
                    }
                }
                else
                {
                    errors.Add($"record {index}: {error}");
                }

                index++;
            }

            return new TelemetryParseResult(device, parsed, errors);
        }
    }

    /// <summary>The device level of <c>edge/{fleet}/{device}/telemetry</c>, or null for another shape.</summary>
    public static string? DeviceOf(string topic)
    {
        var levels = topic.Split('/');
        return levels.Length == 4 && levels[0] == TopicScheme.Root && levels[3] == "telemetry" ? levels[2] : null;
    }

    private static bool TryParseRecord(string device, JsonElement record, out TelemetryRecord? telemetry, out string? error)
    {
        telemetry = null;
        error = null;
        if (record.ValueKind != JsonValueKind.Object
            || !record.TryGetProperty("seq", out var seq) || seq.ValueKind != JsonValueKind.Number || !seq.TryGetInt64(out var seqValue) || seqValue < 0)
        {
            error = "'seq' is missing or not a non-negative integer";
            return false;
        }

        if (!record.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            error = $"seq {seqValue}: 'data' is missing or not an object";
            return false;
        }

        if (data.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() != "sample")
        {
            return true; // Another record kind (a later protocol addition): not ours to read, not malformed.
        }

        try
        {
            var sample = data.Deserialize(FleetJsonContext.Default.TelemetrySample);
            if (sample is null)
            {
                error = $"seq {seqValue}: 'data' is null";
                return false;
            }

            var bad = sample.Inference.FirstOrDefault(i => i.Calls < 0 || i.Errors < 0 || i.P95Ms is < 0 or double.NaN || i.P50Ms is < 0 or double.NaN);
            if (bad is not null)
            {
                error = $"seq {seqValue}: negative or NaN inference figures for {bad.Model}@{bad.Version}";
                return false;
            }

            if (sample.Drift is { } drift && DriftProblem(drift) is { } problem)
            {
                error = $"seq {seqValue}: drift: {problem}";
                return false;
            }

            telemetry = new TelemetryRecord(device, seqValue, sample.Timestamp, sample);
            return true;
        }
        catch (JsonException e)
        {
            error = $"seq {seqValue}: {e.Message}";
            return false;
        }
    }

    /// <summary>What is wrong with a <c>drift</c> section, or null: counts in range, distances zero or more.</summary>
    private static string? DriftProblem(DriftFigures drift) =>
        string.IsNullOrEmpty(drift.Model) || string.IsNullOrEmpty(drift.ReferenceVersion) ? "'model' and 'referenceVersion' must be set"
        : drift.Window < 1 || drift.Samples < 0 || drift.Samples > drift.Window ? string.Create(CultureInfo.InvariantCulture, $"samples {drift.Samples} must be 0 to the window ({drift.Window}), which must be at least 1")
        : drift.InputDistance < 0 || drift.ConfidencePsi < 0 ? string.Create(CultureInfo.InvariantCulture, $"inputDistance {drift.InputDistance} and confidencePsi {drift.ConfidencePsi} must be zero or more")
        : drift.Channel < 0 || drift.Sampled < 0 || drift.Dropped < 0 ? "channel, sampled and dropped must be zero or more"
        : null;

    private static bool TryGunzip(byte[] compressed, out byte[] bytes, out string error)
    {
        try
        {
            using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                if (output.Length + read > MaxDecompressedBytes)
                {
                    bytes = [];
                    error = $"gzip payload expands beyond {MaxDecompressedBytes} bytes";
                    return false;
                }

                output.Write(buffer, 0, read);
            }

            bytes = output.ToArray();
            error = string.Empty;
            return true;
        }
        catch (InvalidDataException e)
        {
            bytes = [];
            error = $"corrupt gzip payload: {e.Message}";
            return false;
        }
    }

    private static TelemetryParseResult Malformed(string? device, string error) => new(device, [], [error]);
}
