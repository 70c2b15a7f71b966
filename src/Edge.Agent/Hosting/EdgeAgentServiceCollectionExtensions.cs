using Edge.Agent.Capture;
using Edge.Agent.Commands;
using Edge.Agent.Devices;
using Edge.Agent.Diagnostics;
using Edge.Agent.Drift;
using Edge.Agent.Health;
using Edge.Agent.Hosting;
using Edge.Agent.LocalHttp;
using Edge.Agent.Mqtt;
using Edge.Agent.Observability;
using Edge.Agent.Ota;
using Edge.Agent.Storage;
using Edge.Agent.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Edge.Agent;

/// <summary>Registers the Edge device agent in a host.</summary>
public static class EdgeAgentServiceCollectionExtensions
{
    /// <summary>
    /// Adds the agent as a hosted service, with settings bound from <paramref name="configuration"/> (the keys of
    /// <see cref="EdgeAgentOptions"/>, for example <c>DeviceId</c>, <c>Mqtt:Host</c>) and then
    /// <paramref name="configure"/>. Settings are validated when the host starts; all errors are reported at once.
    /// </summary>
    public static IServiceCollection AddEdgeAgent(this IServiceCollection services, IConfiguration configuration, Action<EdgeAgentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = services.AddOptions<EdgeAgentOptions>().Bind(configuration);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        return AddCore(services);
    }

    /// <summary>Adds the agent with settings given in code; see <see cref="AddEdgeAgent(IServiceCollection, IConfiguration, Action{EdgeAgentOptions}?)"/>.</summary>
    public static IServiceCollection AddEdgeAgent(this IServiceCollection services, Action<EdgeAgentOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<EdgeAgentOptions>().Configure(configure).ValidateOnStart();
        return AddCore(services);
    }

    private static IServiceCollection AddCore(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EdgeAgentOptions>, EdgeAgentOptionsValidator>());
        services.TryAddSingleton<IInferenceRestartHandler, LoggingInferenceRestartHandler>();

        services.AddSingleton(sp => new TopicScheme(Options(sp).FleetId, Options(sp).DeviceId));
        services.AddSingleton<OutboxStatistics>();
        services.AddSingleton(sp => new SqliteOutbox(
            Options(sp).Outbox.Path, Options(sp).Outbox.MaxBytes, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<OutboxStatistics>()));
        services.AddSingleton(sp => new TelemetrySchedule(Options(sp).Telemetry.Interval));
        services.AddSingleton(sp => new SystemMetricsReader(Options(sp).Telemetry.SystemRoot, Options(sp).Telemetry.DiskPath));
        services.AddSingleton<InferenceMetricsCollector>();
        services.AddSingleton<TelemetrySampler>();
        services.AddSingleton(sp => DeviceFactsReader.Read(Options(sp).Telemetry.SystemRoot, Options(sp).Device, Options(sp).Ota.Provider));
        services.AddSingleton(sp => new StatusMessages(
            sp.GetRequiredService<TopicScheme>(),
            sp.GetRequiredService<DeviceFacts>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<OutboxStatistics>(),
            sp.GetRequiredService<TelemetrySchedule>(),
            MqttProtocol.Parse(Options(sp).Mqtt.ProtocolVersion),
            sp.GetService<ActiveModel>()));
        services.AddSingleton<CommandInbox>();
        services.AddSingleton<MqttConnection>();
        services.AddSingleton(sp =>
        {
            var o = Options(sp);
            var compression = PayloadCompression.Parse(o.Telemetry.Compression);
            return new TelemetryBatchWriter(sp.GetRequiredService<TopicScheme>(), compression, MqttProtocol.Parse(o.Mqtt.ProtocolVersion));
        });
        services.AddSingleton<LoopHeartbeat>();
        services.AddSingleton<TelemetryLoop>();
        services.AddSingleton<TelemetryDelivery>();
        services.AddSingleton<CommandDispatcher>();

        services.AddSingleton<IAgentCommand, PingCommand>();
        services.AddSingleton<IAgentCommand, GetConfigCommand>();
        services.AddSingleton<IAgentCommand, SetTelemetryIntervalCommand>();
        services.AddSingleton<IAgentCommand, RestartInferenceCommand>();
        services.AddSingleton<IAgentCommand, CollectDiagnosticsCommand>();

        services.AddSingleton(sp => new LogRingBuffer(DiagnosticLogCapacity(sp)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, RingBufferLoggerProvider>());

        // Export first: it starts before, and stops after, everything it measures (and flushes at stop).
        services.AddObservability();

        // OTA first: hosted services start in order, so the active slot's model is loaded (and a job interrupted by a
        // kill is recovered) before the connection answers commands.
        services.AddOta();
        services.AddDrift();
        services.AddCapture();
        services.AddHostedService<EdgeAgentService>();
        services.AddHostedService<SystemdNotifier>();

        // Health checks run only when asked; the local HTTP server starts Kestrel only with Http:Enabled.
        services.AddAgentHealthChecks();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EdgeAgentOptions>, LocalHttpOptionsValidator>());
        services.AddSingleton<LocalHttpServer>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalHttpServer>());
        return services;
    }

    private static EdgeAgentOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<EdgeAgentOptions>>().Value;

    private static int DiagnosticLogCapacity(IServiceProvider services)
    {
        // The logger factory is built before ValidateOnStart runs; logging must work to report invalid settings,
        // so an invalid configuration (out of range, or a value that does not convert) falls back to the default here
        // and ValidateOnStart, or the daemon's own check of every setting, reports every error.
        try
        {
            return Options(services).Commands.DiagnosticLogCapacity;
        }
        catch (Exception e) when (e is OptionsValidationException or InvalidOperationException)
        {
            return new CommandOptions().DiagnosticLogCapacity;
        }
    }
}
