namespace Edge.Agent;

/// <summary>How the agent connects to the MQTT broker.</summary>
public sealed class MqttOptions
{
    /// <summary>Broker host name or address. Default <c>localhost</c>.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>Broker TCP port, 1 to 65535. Default 1883 (use 8883 with TLS).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Protocol version: <c>5</c> (default) or <c>3.1.1</c>.</summary>
    public string ProtocolVersion { get; set; } = "5";

    /// <summary>MQTT client id; defaults to <c>{FleetId}-{DeviceId}</c> when empty.</summary>
    public string? ClientId { get; set; }

    /// <summary>Optional user name.</summary>
    public string? Username { get; set; }

    /// <summary>Optional password; only used with <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Keep-alive period, 1 second to 18 hours. Default 30 seconds.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the broker keeps the session (subscriptions, queued QoS 1 commands) after a disconnect. Default 1 day.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Timeout of one connect attempt. Default 10 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First reconnect delay; doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>. Default 1 second.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest reconnect delay (before jitter). Default 60 seconds.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the connection loop checks the link with a ping. Default 5 seconds.</summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>TLS settings; off by default.</summary>
    public MqttTlsOptions Tls { get; set; } = new();
}
