using Edge.Agent.Mqtt;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Health;

/// <summary>Readiness: the MQTT connection to the fleet's broker is up.</summary>
internal sealed class BrokerHealthCheck : IHealthCheck
{
    private readonly MqttConnection _connection;
    private readonly string _broker;

    public BrokerHealthCheck(MqttConnection connection, IOptions<EdgeAgentOptions> options)
    {
        _connection = connection;
        _broker = $"{options.Value.Mqtt.Host}:{options.Value.Mqtt.Port}";
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_connection.IsConnected
            ? HealthCheckResult.Healthy($"connected to {_broker}")
            : HealthCheckResult.Unhealthy($"not connected to {_broker}; telemetry waits in the outbox"));
}
