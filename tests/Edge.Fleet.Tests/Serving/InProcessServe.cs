using Edge.Fleet.Connection;
using Edge.Fleet.Serving;
using Edge.Fleet.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Fleet.Tests.Serving;

/// <summary>A serve host in the test process, over its own store; stopped gracefully on dispose.</summary>
internal sealed class InProcessServe : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private InProcessServe(IHost host, IFleetStore store)
    {
        _host = host;
        Store = store;
        Service = host.Services.GetRequiredService<IngestService>();
    }

    public IFleetStore Store { get; }

    public IngestService Service { get; }

    public ServeStatistics Statistics => Service.Statistics;

    /// <summary>Opens the store, starts the host and waits until it is connected and subscribed.</summary>
    public static async Task<InProcessServe> StartAsync(string fleet, string instance, string host, int port, StoreSpec spec, string shareGroup = "edge-fleet")
    {
        var store = await FleetStore.OpenAsync(spec, TimeProvider.System, CancellationToken.None);
        var options = new ServeOptions { Fleet = fleet, Instance = instance, ShareGroup = shareGroup };
        var broker = new BrokerOptions { Host = host, Port = port };
        var serve = new InProcessServe(ServeHost.Build(options, broker, store, TimeProvider.System, logging => logging.ClearProviders()), store);
        await serve._host.StartAsync();
        await serve.Service.Subscribed.WaitAsync(TimeSpan.FromSeconds(60));
        return serve;
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _host.StopAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
        await Store.DisposeAsync();
    }
}
