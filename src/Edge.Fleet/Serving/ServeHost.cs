using Edge.Fleet.Connection;
using Edge.Fleet.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Fleet.Serving;

/// <summary>
/// Builds the Generic Host of <c>edge-fleet serve</c>: the <see cref="IngestService"/> over an open store, and the
/// <see cref="RolloutService"/> when the instance drives rollouts. The host's
/// console lifetime turns SIGTERM and Ctrl+C into a graceful stop (the batch in hand is stored and acknowledged).
/// </summary>
internal static class ServeHost
{
    /// <summary>Builds the host; the caller runs and disposes it, and disposes <paramref name="store"/> after it.</summary>
    /// <param name="rollouts">With it, the instance also drives rollouts (<see cref="RolloutService"/>); without, it only ingests.</param>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed).</exception>
    public static IHost Build(ServeOptions options, BrokerOptions broker, IFleetStore store, TimeProvider time, Action<ILoggingBuilder>? logging = null, RolloutDriverOptions? rollouts = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(store);
        var errors = options.Validate().Concat(rollouts?.Validate() ?? []).ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid serve settings: " + string.Join(" ", errors), nameof(options));
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            console.UseUtcTimestamp = true;
        });
        logging?.Invoke(builder.Logging);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(broker);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton<ServeStatistics>();
        builder.Services.AddSingleton<IngestService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<IngestService>());
        if (rollouts is not null)
        {
            builder.Services.AddSingleton(rollouts);
            builder.Services.AddSingleton<RolloutService>();
            builder.Services.AddHostedService(services => services.GetRequiredService<RolloutService>());
        }
        return builder.Build();
    }
}
