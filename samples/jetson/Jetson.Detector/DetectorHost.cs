using System.Device.Gpio;
using System.Device.I2c;
using Edge.Agent;
using Edge.Samples.Hosting;
using Edge.Samples.Sensors;
using Edge.Sdk.Inference;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Samples.Jetson;

/// <summary>Builds the detector's host: the embedded Edge agent (telemetry, commands, OTA) plus the frame loop.</summary>
internal static class DetectorHost
{
    /// <summary>
    /// Builds the host. <paramref name="gpio"/> is the controller the frame loop writes through: libgpiod on the
    /// device, or one over <see cref="Edge.Samples.Gpio.SimulatedGpioDriver"/>; <paramref name="environmentDevice"/>
    /// is the BME280's I2C device (or a <see cref="SimulatedBme280"/>), or null for none. The caller disposes both after the host.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static IHost Build(DetectorOptions options, GpioController gpio, I2cDevice? environmentDevice = null, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(gpio);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid options:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", errors));
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        // The agent's console format: Logging:Console:FormatterName (simple, json or systemd) from appsettings.json
        // or Logging__Console__FormatterName; the generic host's other default providers are not wanted on a device.
        builder.Logging.ClearProviders();
        builder.Logging.AddEdgeConsole();
        logging?.Invoke(builder.Logging);
        var provider = options.Provider.ToString().ToLowerInvariant();
        builder.Services.AddEdgeAgent(builder.Configuration.GetSection("EdgeAgent"), agent => options.Agent.Apply(agent, provider));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(gpio);
        builder.Services.AddSingleton<DetectionReadings>();
        builder.Services.AddSingleton<ITelemetryReadings>(sp => sp.GetRequiredService<DetectionReadings>());
        if (environmentDevice is not null)
        {
            builder.Services.AddSingleton<ITelemetryReadings>(new EnvironmentReadings(environmentDevice));
        }

        builder.Services.AddSingleton<LoopProgress<FrameResult>>();
        builder.Services.AddSingleton(sp => new ServedModel(
            sp.GetRequiredService<ActiveModel>(),
            options.ModelPath is null ? null : ModelHost.Load(options.ModelPath, options.SessionOptions(), sp.GetRequiredService<ILoggerFactory>())));
        builder.Services.AddHostedService<DetectorService>();
        return builder.Build();
    }
}
