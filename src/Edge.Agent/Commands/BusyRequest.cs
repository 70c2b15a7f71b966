using System.Text.Json;
using MQTTnet;

namespace Edge.Agent.Commands;

/// <summary>
/// What a <c>busy</c> answer needs of a request that found the command queue full: its topic, MQTT 5 response topic
/// and correlation data, and the MQTT 3.1.1 <c>correlationId</c> and <c>replyTo</c> read from its payload. Kept
/// instead of the message, so a queue of them stays small whatever the requests carried.
/// </summary>
internal sealed record BusyRequest(string Topic, string? ResponseTopic, byte[]? CorrelationData, string? CorrelationId, string? ReplyTo)
{
    /// <summary>Reads the fields from <paramref name="message"/>; a payload over <paramref name="maxPayloadBytes"/> or not JSON is not read.</summary>
    public static BusyRequest From(MqttApplicationMessage message, int maxPayloadBytes)
    {
        string? correlationId = null, replyTo = null;
        var payload = message.Payload;
        if (payload.Length is > 0 && payload.Length <= maxPayloadBytes)
        {
            try
            {
                using var document = JsonDocument.Parse(payload);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    correlationId = CommandDispatcher.OptionalString(document.RootElement, "correlationId");
                    replyTo = CommandDispatcher.OptionalString(document.RootElement, "replyTo");
                }
            }
            catch (JsonException)
            {
                // Not JSON: the busy answer goes without a correlation id, as a malformed request's answer would.
            }
        }

        return new BusyRequest(message.Topic, message.ResponseTopic, message.CorrelationData is { Length: > 0 } c ? [.. c] : null, correlationId, replyTo);
    }
}
