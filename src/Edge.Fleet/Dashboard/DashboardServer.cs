using Edge.Fleet.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Fleet.Dashboard;

/// <summary>
/// The dashboard on its own Kestrel server (<c>edge-fleet dashboard</c>, and the tests). The caller disposes it, which
/// stops the server and ends open event streams; the store stays the caller's.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where the server listens, with the actual port when <see cref="DashboardOptions.Listen"/> asked for port 0.</summary>
    public Uri Address { get; }

    /// <summary>Starts Kestrel on <see cref="DashboardOptions.Listen"/> with the dashboard's routes mapped.</summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem listed).</exception>
    /// <exception cref="IOException">The address cannot be bound (in use, or not an address of this machine).</exception>
    public static async Task<DashboardServer> StartAsync(IFleetStore store, DashboardOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Listen);
        builder.Services.AddSingleton(time);
        var app = builder.Build();
        try
        {
            DashboardEndpoints.Map(app, store, options, time);
            await app.StartAsync(cancellationToken);
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? options.Listen;
            return new DashboardServer(app, new Uri(bound));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until <paramref name="cancellationToken"/> is cancelled (Ctrl+C in the command).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
