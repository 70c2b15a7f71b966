using Edge.Agent.Commands;
using Edge.Agent.Mqtt;
using Edge.Agent.Ota.Engines;
using Edge.Agent.Ota.Jobs;
using Edge.Agent.Ota.Shadow;
using Edge.Agent.Ota.Transfer;
using Edge.Packaging;
using Edge.Sdk.Packaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Ota;

/// <summary>Registers OTA with the agent; it stays idle unless <see cref="OtaOptions.Enabled"/>.</summary>
internal static class OtaServiceCollectionExtensions
{
    public static IServiceCollection AddOta(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EdgeAgentOptions>, OtaOptionsValidator>());
        services.TryAddSingleton<IDiskSpace, DriveDiskSpace>();
        services.TryAddSingleton<IAvailableMemory, ProcMemInfo>();
        services.TryAddSingleton<ShadowStatus>();
        services.TryAddSingleton(_ => PackageDeviceDescription.Current);
        // Resolved on first use (OtaRuntime.Device): building the description loads ONNX Runtime.
        services.TryAddSingleton(sp => new Lazy<PackageDeviceDescription>(sp.GetRequiredService<PackageDeviceDescription>));
        services.TryAddSingleton<IEngineWarmer, TensorRtEngineWarmer>();
        services.AddSingleton<ActiveModel>();
        services.AddSingleton<ChunkInbox>();
        services.AddSingleton<OtaStateReporter>();
        services.AddSingleton<OtaRuntime>();
        services.AddSingleton<OtaRecovery>();
        services.AddSingleton<ServedModelAnnouncer>();
        services.AddSingleton(sp => new MqttChunkTransfer(
            sp.GetRequiredService<MqttConnection>(),
            sp.GetRequiredService<ChunkInbox>(),
            sp.GetRequiredService<TopicScheme>(),
            sp.GetRequiredService<IOptions<EdgeAgentOptions>>().Value.Ota,
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<MqttChunkTransfer>>()));
        services.AddSingleton<HttpRangeTransfer>();
        services.AddSingleton<OtaJobRunner>();
        services.AddSingleton<OtaMessageHandler>();
        services.AddSingleton<IMqttMessageHandler>(sp => sp.GetRequiredService<OtaMessageHandler>());
        services.AddSingleton<IAgentCommand, OtaStatusCommand>();
        services.AddHostedService<OtaService>();
        return services;
    }
}
