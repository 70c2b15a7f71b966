using Edge.Agent.Commands;
using Edge.Agent.Mqtt;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Capture;

/// <summary>Registers field-data capture; it samples nothing until enabled (settings or <c>capture-config</c>).</summary>
internal static class CaptureServiceCollectionExtensions
{
    public static IServiceCollection AddCapture(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EdgeAgentOptions>, CaptureOptionsValidator>());
        services.AddSingleton<CaptureRuntime>();
        services.AddSingleton<CaptureMessageHandler>();
        services.AddSingleton<IMqttMessageHandler>(sp => sp.GetRequiredService<CaptureMessageHandler>());
        services.AddSingleton<CaptureChunkServer>();
        services.AddSingleton<IAgentCommand, CaptureConfigCommand>();
        services.AddSingleton<IAgentCommand, CaptureStatusCommand>();
        services.AddSingleton<IAgentCommand, CaptureSnapshotCommand>();
        services.AddHostedService<CaptureService>();
        return services;
    }
}
