using System.Globalization;
using System.Text.Json;

namespace Edge.Fleet.Monitoring;

/// <summary>Writes stored telemetry rows as CSV (header + one line per row) or as a JSON array.</summary>
internal static class TelemetryExporter
{
    public static readonly string[] Formats = ["csv", "json"];

    public static async Task WriteAsync(IReadOnlyList<TelemetryRow> rows, string format, TextWriter output, CancellationToken cancellationToken)
    {
        switch (format)
        {
            case "csv":
                await output.WriteLineAsync("device,seq,at,received,model,version,calls,errors,p50_ms,p95_ms,p99_ms,cpu_percent,memory_used_bytes,memory_total_bytes,temperature_celsius");
                foreach (var row in rows)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await output.WriteLineAsync(string.Join(',',
                        Csv(row.Device), row.Seq.ToString(CultureInfo.InvariantCulture), Time(row.At), Time(row.Received), Csv(row.Model), Csv(row.Version),
                        Number(row.Calls), Number(row.Errors), Number(row.P50Ms), Number(row.P95Ms), Number(row.P99Ms), Number(row.CpuPercent),
                        Number(row.MemoryUsedBytes), Number(row.MemoryTotalBytes), Number(row.TemperatureCelsius)));
                }

                break;
            case "json":
                using (var stream = new MemoryStream())
                {
                    await using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
                    {
                        json.WriteStartArray();
                        foreach (var row in rows)
                        {
                            json.WriteStartObject();
                            json.WriteString("device", row.Device);
                            json.WriteNumber("seq", row.Seq);
                            json.WriteString("at", row.At);
                            json.WriteString("received", row.Received);
                            json.WriteString("model", row.Model);
                            json.WriteString("version", row.Version);
                            Write(json, "calls", row.Calls);
                            Write(json, "errors", row.Errors);
                            Write(json, "p50Ms", row.P50Ms);
                            Write(json, "p95Ms", row.P95Ms);
                            Write(json, "p99Ms", row.P99Ms);
                            Write(json, "cpuPercent", row.CpuPercent);
                            Write(json, "memoryUsedBytes", row.MemoryUsedBytes);
                            Write(json, "memoryTotalBytes", row.MemoryTotalBytes);
                            Write(json, "temperatureCelsius", row.TemperatureCelsius);
                            json.WriteEndObject();
                        }

                        json.WriteEndArray();
                    }

                    await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
                }

                break;
            default:
                throw new ArgumentException($"--format '{format}' is not supported; expected {string.Join(" or ", Formats)}.");
        }
    }

    // A stored value that is not a finite number (JSON cannot carry one; CSV readers choke on "NaN") is written as
    // not measured: null in JSON, an empty field in CSV.
    private static void Write(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Write(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Number(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty;

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Csv(string text) =>
        text.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
