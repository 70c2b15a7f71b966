using MQTTnet.Formatter;

namespace Edge.Agent.Mqtt;

/// <summary>Parses the configured protocol version ("5" or "3.1.1").</summary>
internal static class MqttProtocol
{
    public static bool TryParse(string? text, out MqttProtocolVersion version)
    {
        switch (text?.Trim())
        {
            case "5" or "5.0" or "500":
                version = MqttProtocolVersion.V500;
                return true;
            case "3.1.1" or "311" or "4":
                version = MqttProtocolVersion.V311;
                return true;
            default:
                version = MqttProtocolVersion.Unknown;
                return false;
        }
    }

    public static MqttProtocolVersion Parse(string text) =>
        TryParse(text, out var version)
            ? version
            : throw new ArgumentException($"MQTT protocol version must be '5' or '3.1.1'; got '{text}'.", nameof(text));
}
