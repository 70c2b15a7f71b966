using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Drift;

/// <summary>Registers drift statistics with the agent; idle unless the served package carries a drift reference.</summary>
internal static class DriftServiceCollectionExtensions
{
    /// <summary>Adds the <c>Drift</c> settings' validation and the <see cref="DriftMonitor"/>; call after OTA, which loads the served model.</summary>
    public static IServiceCollection AddDrift(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EdgeAgentOptions>, DriftOptionsValidator>());
        services.AddSingleton<DriftMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<DriftMonitor>());
        return services;
    }
}
