using System.Diagnostics.Metrics;
using Edge.Agent.Mqtt;
using Edge.Agent.Storage;
using Edge.Agent.Telemetry;

namespace Edge.Agent.Observability;

/// <summary>
/// The agent's observable instruments (meter <see cref="EdgeAgentMetrics.MeterName"/>): they read the outbox,
/// connection and delivery counters only when a listener collects, so with export off they cost nothing but these
/// objects. OTA's instruments are in <see cref="OtaJobInstruments"/>, which OTA's services depend on (this type
/// depends on the connection, which depends on them).
/// </summary>
internal sealed class AgentInstruments : IDisposable
{
    private static readonly string? Version = typeof(AgentInstruments).Assembly.GetName().Version?.ToString();

    private readonly Meter _meter = new(EdgeAgentMetrics.MeterName, Version);

    public AgentInstruments(OutboxStatistics outbox, MqttConnection connection, TelemetryDelivery delivery)
    {
        _meter.CreateObservableUpDownCounter(EdgeAgentMetrics.OutboxDepth, () => outbox.Pending, "{record}", "Telemetry records waiting in the outbox.");
        _meter.CreateObservableUpDownCounter(EdgeAgentMetrics.OutboxSize, () => outbox.PendingBytes, "By", "Payload bytes waiting in the outbox.");
        _meter.CreateObservableCounter(EdgeAgentMetrics.OutboxDropped, () => outbox.DroppedTotal, "{record}", "Records dropped because the outbox was full.");
        _meter.CreateObservableCounter(EdgeAgentMetrics.RecordsPublished, () => delivery.RecordsDelivered, "{record}", "Telemetry records the broker acknowledged.");
        _meter.CreateObservableCounter(EdgeAgentMetrics.Connections, () => (long)connection.ConnectionCount, "{connection}", "Successful MQTT connections.");
        _meter.CreateObservableCounter(EdgeAgentMetrics.Reconnects, () => (long)Math.Max(0, connection.ConnectionCount - 1), "{connection}", "MQTT connections after the first.");
        _meter.CreateObservableGauge(EdgeAgentMetrics.Connected, () => connection.IsConnected ? 1 : 0, null, "1 while connected to the MQTT broker.");
    }

    public void Dispose() => _meter.Dispose();
}
