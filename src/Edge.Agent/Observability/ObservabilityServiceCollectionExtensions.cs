using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Observability;

/// <summary>Registers the agent's instruments and the OpenTelemetry export, which builds nothing unless <see cref="OpenTelemetryOptions.Enabled"/>.</summary>
internal static class ObservabilityServiceCollectionExtensions
{
    public static IServiceCollection AddObservability(this IServiceCollection services)
    {
        services.TryAddSingleton(OpenTelemetryEnvironment.Process);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EdgeAgentOptions>, OpenTelemetryOptionsValidator>());
        services.AddSingleton<AgentInstruments>();
        services.AddSingleton<OtaJobInstruments>();
        services.AddSingleton<OpenTelemetryExport>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<OpenTelemetryExport>());
        return services;
    }
}
