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

namespace Edge.Samples.RaspberryPi;

/// <summary>Builds the capture app's host: the embedded Edge agent (telemetry, commands, OTA) plus the capture loop.</summary>
internal static class CaptureHost
{
    /// <summary>
    /// Builds the host. <paramref name="gpio"/>, <paramref name="temperatureDevice"/> (the LM75) and
    /// <paramref name="environmentDevice"/> (the BME280, or null for none) are the real controller and I2C devices on a
    /// Pi, or simulated ones; the caller disposes them after the host (instances given to the container are not disposed by it).
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static IHost Build(CaptureOptions options, GpioController gpio, I2cDevice temperatureDevice, I2cDevice? environmentDevice = null, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(gpio);
        ArgumentNullException.ThrowIfNull(temperatureDevice);
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
        builder.Services.AddEdgeAgent(builder.Configuration.GetSection("EdgeAgent"), agent => options.Agent.Apply(agent, "cpu"));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(gpio);
        builder.Services.AddSingleton(new CaptureReadings(temperatureDevice));
        builder.Services.AddSingleton<ITelemetryReadings>(sp => sp.GetRequiredService<CaptureReadings>());
        if (environmentDevice is not null)
        {
            builder.Services.AddSingleton<ITelemetryReadings>(new EnvironmentReadings(environmentDevice));
        }

        builder.Services.AddSingleton<LoopProgress<CaptureResult>>();
        builder.Services.AddSingleton(sp => new ServedModel(
            sp.GetRequiredService<ActiveModel>(),
            options.ModelPath is null ? null : ModelHost.Load(options.ModelPath, options.SessionOptions(), sp.GetRequiredService<ILoggerFactory>())));
        builder.Services.AddHostedService<CaptureService>();
        return builder.Build();
    }
}
