using Edge.Agent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Fleet.Tests.Simulation;

/// <summary>
/// One simulated device: a real Edge.Agent hosted in-process with its own MQTT connection, outbox and telemetry,
/// a <see cref="FakeModelRunner"/> whose figures the agent reports, and a <see cref="SimulatedOta"/> for jobs.
/// </summary>
internal sealed class SimulatedDevice : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private SimulatedDevice(string id, IHost host, FakeModelRunner runner, SimulatedOta ota, string directory)
    {
        Id = id;
        _host = host;
        Runner = runner;
        Ota = ota;
        Directory = directory;
    }

    public string Id { get; }

    public FakeModelRunner Runner { get; }

    public SimulatedOta Ota { get; }

    public string Directory { get; }

    public static async Task<SimulatedDevice> StartAsync(string host, int port, string fleet, string id, SimulationSettings settings, CancellationToken cancellationToken)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("edge-fleet-sim-").FullName;
        var runner = new FakeModelRunner(id, settings.Model, settings.InitialVersion, settings.BaseLatencyMs);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddEdgeAgent(o =>
        {
            o.FleetId = fleet;
            o.DeviceId = id;
            o.Mqtt.Host = host;
            o.Mqtt.Port = port;
            o.Mqtt.ReconnectMinDelay = TimeSpan.FromMilliseconds(100);
            o.Mqtt.ReconnectMaxDelay = TimeSpan.FromSeconds(2);
            o.Mqtt.ConnectTimeout = TimeSpan.FromSeconds(10);
            o.Telemetry.Interval = settings.TelemetryInterval;
            o.Outbox.Path = Path.Combine(directory, "outbox.db");
            o.Capture.Directory = Path.Combine(directory, "capture");

            // The agent's own OTA stays off (the simulated OTA answers jobs), but its runtime is built at start and
            // needs a folder even when disabled.
            o.Ota.DataDirectory = Path.Combine(directory, "ota");
            o.Device.SdkVersion = "0.1.0";
            o.Device.Models = [new ActiveModelOptions { Name = settings.Model, Version = settings.InitialVersion }];
        });
        var app = builder.Build();
        await app.StartAsync(cancellationToken);
        var ota = new SimulatedOta(fleet, id, runner) { StepDelay = settings.OtaStepDelay };
        await ota.StartAsync(host, port, cancellationToken);
        return new SimulatedDevice(id, app, runner, ota, directory);
    }

    /// <summary>The agent's outbox database; its ids are the telemetry <c>seq</c> numbers.</summary>
    public string OutboxPath => Path.Combine(Directory, "outbox.db");

    /// <summary>Stops the agent (a clean shutdown) and keeps its folder, so the outbox can be read afterwards.</summary>
    public async Task StopAgentAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _host.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await Ota.DisposeAsync();
        await StopAgentAsync();

        _host.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
