using Edge.Sdk.DependencyInjection;
using Edge.Sdk.Devices;
using Edge.Sdk.Inference;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Edge.Sdk;

/// <summary>Registers the Edge inference runtime with a service collection.</summary>
public static class EdgeInferenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers a validated <see cref="EdgeInferenceOptions"/>, a <see cref="ModelHost"/> singleton that loads
    /// <see cref="EdgeInferenceOptions.ModelPath"/> on first resolve (and is disposed with the container), and a
    /// <see cref="DeviceMonitor"/> singleton. Invalid options fail with <see cref="OptionsValidationException"/>
    /// listing every problem, on first resolve or at host start.
    /// </summary>
    public static IServiceCollection AddEdgeInference(this IServiceCollection services, Action<EdgeInferenceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<EdgeInferenceOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EdgeInferenceOptions>, EdgeInferenceOptionsValidator>());
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<EdgeInferenceOptions>>().Value;
            return ModelHost.Load(options.ModelPath, options.Session, provider.GetService<ILoggerFactory>());
        });
        services.TryAddSingleton(_ => new DeviceMonitor());
        return services;
    }
}
