using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Agent.Tests.Support;

/// <summary>Runs the agent in-process against a test broker, with its outbox in a private temp folder.</summary>
internal sealed class AgentHarness : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private AgentHarness(IHost host, string directory)
    {
        _host = host;
        Directory = directory;
    }

    public string Directory { get; }

    public IServiceProvider Services => _host.Services;

    public T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>Options for a device on <paramref name="host"/>:<paramref name="port"/> with fast reconnects and a long telemetry interval.</summary>
    public static Action<EdgeAgentOptions> Defaults(string host, int port, string fleet, string device, string directory) => o =>
    {
        o.FleetId = fleet;
        o.DeviceId = device;
        o.Mqtt.Host = host;
        o.Mqtt.Port = port;
        o.Mqtt.ReconnectMinDelay = TimeSpan.FromMilliseconds(50);
        o.Mqtt.ReconnectMaxDelay = TimeSpan.FromMilliseconds(500);
        o.Mqtt.HealthCheckInterval = TimeSpan.FromMilliseconds(500);
        o.Mqtt.ConnectTimeout = TimeSpan.FromSeconds(2);
        o.Telemetry.Interval = TimeSpan.FromHours(1);
        o.Outbox.Path = Path.Combine(directory, "outbox.db");
    };

    public static async Task<AgentHarness> StartAsync(string host, int port, string device, Action<EdgeAgentOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("edge-agent-test-").FullName;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        var defaults = Defaults(host, port, "fleet1", device, directory);
        builder.Services.AddEdgeAgent(o =>
        {
            defaults(o);
            configure?.Invoke(o);
        });
        services?.Invoke(builder.Services);
        var app = builder.Build();
        await app.StartAsync();
        return new AgentHarness(app, directory);
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _host.StopAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
