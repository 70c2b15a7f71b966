using System.Buffers;
using System.Text;
using System.Text.Json;
using Edge.Fleet.Monitoring;

namespace Edge.Fleet.Tests.Monitoring;

/// <summary>Numbers that JSON cannot carry: refused on the way in, written as "not measured" on the way out.</summary>
public sealed class TelemetryNonFiniteTests
{
    private static string Record(long seq, string p95) =>
        "{\"seq\":" + seq + ",\"data\":{\"kind\":\"sample\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"intervalMs\":1000,\"system\":{\"cpuPercent\":12.5},"
        + "\"inference\":[{\"model\":\"mnist\",\"version\":\"1.0.0\",\"provider\":\"cpu\",\"calls\":10,\"errors\":0,\"p50Ms\":2,\"p95Ms\":" + p95 + "}],"
        + "\"outbox\":{\"pending\":0,\"pendingBytes\":0,\"droppedTotal\":0}}}";

    [Fact]
    public void Parse_NumberBeyondDouble_RefusesThatRecordAndKeepsTheOthers()
    {
        var json = "{\"schema\":\"edge.telemetry/1\",\"fleet\":\"f1\",\"device\":\"d1\",\"records\":[" + Record(1, "4.5") + "," + Record(2, "1e999") + "," + Record(3, "5") + "]}";

        var result = TelemetryParser.Parse("edge/f1/d1/telemetry", new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)));

        Assert.Equal([1L, 3L], result.Records.Select(r => r.Seq));
        var error = Assert.Single(result.Errors);
        Assert.Contains("record 1", error, StringComparison.Ordinal);
        Assert.Contains("finite number", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    public async Task WriteAsync_NonFiniteStoredValues_WritesThemAsNotMeasured(string format)
    {
        var at = DateTimeOffset.Parse("2026-11-22T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var row = new TelemetryRow("d1", 1, at, at, "mnist", "1.0.0", 10, 0, double.NaN, double.PositiveInfinity, 3.0, double.NegativeInfinity, 1, 2, double.NaN);
        using var output = new StringWriter();

        await TelemetryExporter.WriteAsync([row], format, output, CancellationToken.None);

        var text = output.ToString();
        Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", text, StringComparison.Ordinal);
        if (format == "json")
        {
            var element = JsonDocument.Parse(text).RootElement[0];
            Assert.Equal(JsonValueKind.Null, element.GetProperty("p50Ms").ValueKind);
            Assert.Equal(JsonValueKind.Null, element.GetProperty("p95Ms").ValueKind);
            Assert.Equal(3.0, element.GetProperty("p99Ms").GetDouble());
        }
        else
        {
            Assert.EndsWith(",10,0,,,3,,1,2,", text.Split('\n')[1].TrimEnd('\r'), StringComparison.Ordinal);
        }
    }
}
