using System.Security.Cryptography.X509Certificates;
using Edge.Fleet.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
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
    private readonly X509Certificate2? _certificate;
    private readonly X509Certificate2Collection? _clientCa;

    private DashboardServer(WebApplication app, Uri address, X509Certificate2? certificate, X509Certificate2Collection? clientCa)
    {
        _app = app;
        Address = address;
        _certificate = certificate;
        _clientCa = clientCa;
    }

    /// <summary>Where the server listens, with the actual port when <see cref="DashboardOptions.Listen"/> asked for port 0.</summary>
    public Uri Address { get; }

    /// <summary>Starts Kestrel on <see cref="DashboardOptions.Listen"/> with the dashboard's routes mapped (no broker).</summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem listed).</exception>
    /// <exception cref="IOException">The address cannot be bound (in use, or not an address of this machine).</exception>
    public static Task<DashboardServer> StartAsync(IFleetStore store, DashboardOptions options, TimeProvider time, CancellationToken cancellationToken) =>
        StartAsync(store, options, time, null, cancellationToken);

    /// <summary>
    /// Starts Kestrel on <see cref="DashboardOptions.Listen"/> with the dashboard's routes mapped; over https with the
    /// server certificate, asking for (not requiring) a client certificate when a client CA is set.
    /// </summary>
    /// <param name="store">What the pages show.</param>
    /// <param name="options">The settings.</param>
    /// <param name="time">Page times and action stamps.</param>
    /// <param name="clearer">Clears a forgotten device's retained status on the broker (inside <c>serve</c>), or null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ArgumentException">The options are invalid (every problem listed).</exception>
    /// <exception cref="IOException">The address cannot be bound (in use, or not an address of this machine).</exception>
    public static async Task<DashboardServer> StartAsync(
        IFleetStore store, DashboardOptions options, TimeProvider time, IRetainedStatusClearer? clearer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        var certificate = options.TlsCertificate is null ? null : DashboardTls.ServerCertificate(options);
        var clientCa = options.ClientCa is null ? null : DashboardTls.ClientAuthorities(options.ClientCa);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Listen);
        if (certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificate = certificate;
                if (clientCa is not null)
                {
                    // Asked for, not required: without one the request needs the token. The chain is checked per request
                    // against the client CA only (DashboardAuth), so the handshake accepts any certificate here.
                    https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                    https.CheckCertificateRevocation = false;
                    https.ClientCertificateValidation = (_, _, _) => true;
                }
            }));
        }

        builder.Services.AddSingleton(time);
        var app = builder.Build();
        try
        {
            DashboardEndpoints.Map(app, store, options, time, clearer, clientCa);
            await app.StartAsync(cancellationToken);
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? options.Listen;
            return new DashboardServer(app, new Uri(bound), certificate, clientCa);
        }
        catch
        {
            await app.DisposeAsync();
            Dispose(certificate, clientCa);
            throw;
        }
    }

    /// <summary>Waits until <paramref name="cancellationToken"/> is cancelled (Ctrl+C in the command).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        Dispose(_certificate, _clientCa);
    }

    private static void Dispose(X509Certificate2? certificate, X509Certificate2Collection? clientCa)
    {
        certificate?.Dispose();
        foreach (var authority in clientCa ?? [])
        {
            authority.Dispose();
        }
    }
}
