namespace Edge.Agent.Mqtt;

/// <summary>The broker acknowledged a publish with a failure reason (MQTT 5), for example not authorized.</summary>
public sealed class MqttPublishRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MqttPublishRefusedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MqttPublishRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public MqttPublishRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal MqttPublishRefusedException(string topic, string reasonCode, string? reason)
        : base($"The broker refused the publish to '{topic}': {reasonCode} {reason}".TrimEnd())
    {
    }
}
