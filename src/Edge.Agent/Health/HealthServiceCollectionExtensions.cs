using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Edge.Agent.Health;

/// <summary>Registers the agent's health checks with <c>Microsoft.Extensions.Diagnostics.HealthChecks</c>.</summary>
internal static class HealthServiceCollectionExtensions
{
    /// <summary>
    /// Adds the checks (liveness: <c>loops</c>; readiness: <c>broker</c>, <c>outbox</c>, <c>model</c>, <c>ota</c>). They
    /// run only when asked (the local HTTP server's probes, or an app's <see cref="HealthCheckService"/>).
    /// </summary>
    public static IServiceCollection AddAgentHealthChecks(this IServiceCollection services)
    {
        services.TryAddSingleton<LoopHealthCheck>();
        services.TryAddSingleton<BrokerHealthCheck>();
        services.TryAddSingleton<OutboxHealthCheck>();
        services.TryAddSingleton<ModelHealthCheck>();
        services.TryAddSingleton<OtaHealthCheck>();
        services.AddHealthChecks()
            .AddCheck<LoopHealthCheck>(AgentHealthChecks.Loops, tags: [AgentHealthChecks.LiveTag])
            .AddCheck<BrokerHealthCheck>(AgentHealthChecks.Broker, tags: [AgentHealthChecks.ReadyTag])
            .AddCheck<OutboxHealthCheck>(AgentHealthChecks.Outbox, tags: [AgentHealthChecks.ReadyTag])
            .AddCheck<ModelHealthCheck>(AgentHealthChecks.Model, tags: [AgentHealthChecks.ReadyTag])
            .AddCheck<OtaHealthCheck>(AgentHealthChecks.Ota, tags: [AgentHealthChecks.ReadyTag]);
        return services;
    }
}
