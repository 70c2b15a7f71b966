using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Samples.Tests.Support;

/// <summary>
/// Subscribes to one device's telemetry on a broker and keeps every sample, de-duplicated by sequence number
/// (delivery is at-least-once, docs/protocol.md).
/// </summary>
internal sealed class TelemetrySubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentDictionary<long, JsonElement> _samples = new();

    private TelemetrySubscriber()
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            using var document = JsonDocument.Parse(e.ApplicationMessage.Payload);
            foreach (var record in document.RootElement.GetProperty("records").EnumerateArray())
            {
                _samples.TryAdd(record.GetProperty("seq").GetInt64(), record.GetProperty("data").Clone());
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>Samples received so far, in sequence order.</summary>
    public IReadOnlyList<JsonElement> Samples => [.. _samples.OrderBy(p => p.Key).Select(p => p.Value)];

    public static async Task<TelemetrySubscriber> StartAsync(string host, int port, string fleet, string device)
    {
        var subscriber = new TelemetrySubscriber();
        var options = new MqttClientOptionsBuilder().WithTcpServer(host, port).WithClientId("test-telemetry-" + device).WithTimeout(TimeSpan.FromSeconds(5)).Build();
        await subscriber._client.ConnectAsync(options);
        await subscriber._client.SubscribeAsync($"edge/{fleet}/{device}/telemetry", MqttQualityOfServiceLevel.AtLeastOnce);
        return subscriber;
    }

    /// <summary>Sum of a reading over every sample received (samples without it count 0).</summary>
    public double SumOfReading(string name) =>
        Samples.Sum(s => s.TryGetProperty("readings", out var r) && r.TryGetProperty(name, out var v) ? v.GetDouble() : 0);

    /// <summary>Sum of inference calls reported for <paramref name="model"/> over every sample.</summary>
    public long SumOfInferenceCalls(string model) =>
        Samples.Sum(s => s.GetProperty("inference").EnumerateArray()
            .Where(f => f.GetProperty("model").GetString() == model)
            .Sum(f => f.GetProperty("calls").GetInt64()));

    /// <summary>Waits until <paramref name="condition"/> holds over the samples received.</summary>
    public async Task WaitUntilAsync(Func<TelemetrySubscriber, bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var started = Stopwatch.StartNew();
        while (!condition(this))
        {
            if (started.Elapsed > timeout)
            {
                throw new TimeoutException($"Telemetry did not reach the expected state within {timeout.TotalSeconds} s ({_samples.Count} samples received): {describe()}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }
}
