using System.Threading.RateLimiting;
using Edge.Agent.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Edge.Agent.LocalHttp;

/// <summary>
/// The optional local HTTP server (docs/local-http.md). With <see cref="LocalHttpOptions.Enabled"/> false it does
/// nothing: no Kestrel, no socket, no inner host. Otherwise it builds a small inner web host (Kestrel core, routing,
/// rate limiting; nothing else) that shares the agent's logging, health checks and <see cref="ActiveModel"/>.
/// </summary>
internal sealed partial class LocalHttpServer : IHostedService, IAsyncDisposable
{
    private readonly EdgeAgentOptions _options;
    private readonly IServiceProvider _services;
    private readonly ILogger<LocalHttpServer> _logger;
    private WebApplication? _app;

    public LocalHttpServer(IOptions<EdgeAgentOptions> options, IServiceProvider services, ILogger<LocalHttpServer> logger)
    {
        _options = options.Value;
        _services = services;
        _logger = logger;
    }

    /// <summary>The addresses Kestrel listens on once started (port 0 resolved), empty when the server is off.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var http = _options.Http;
        if (!http.Enabled)
        {
            return;
        }

        if (!LocalHttpFeature.IsSupported)
        {
            // The validator reports this first; kept here so the AOT compiler sees Build as unreachable and drops Kestrel.
            throw new Hosting.AgentSettingsException(LocalHttpOptionsValidator.NotInThisBuild);
        }

        var app = Build(http);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        _app = app;
        Addresses = [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
        LogListening(_logger, string.Join(", ", Addresses), http.HealthRoutes, http.InferenceRoutes, http.BearerToken is not null);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app)
        {
            await app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync();
        }
    }

    private WebApplication Build(LocalHttpOptions http)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "edge-agent", ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
        builder.Services.AddSingleton(_services.GetRequiredService<ILoggerFactory>());
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = http.MaxRequestBodyBytes;
            kestrel.Limits.MaxConcurrentConnections = http.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = 0;
            foreach (var url in Urls(http))
            {
                kestrel.Listen(ListenAddress.TryParse(url, out _)!.EndPoint);
            }

            if (http.UnixSocketPath is { Length: > 0 } socket)
            {
                if (StaleUnixSocket.RemoveIfStale(socket))
                {
                    LogStaleSocketRemoved(_logger, socket);
                }

                kestrel.ListenUnixSocket(socket);
            }
        });
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) => new ValueTask(HttpJson.WriteErrorAsync(
                context.HttpContext, StatusCodes.Status429TooManyRequests, $"too many requests: the inference routes take {http.RequestsPerSecond} per second (Http:RequestsPerSecond)."));
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/v2", StringComparison.Ordinal)
                    ? RateLimitPartition.GetTokenBucketLimiter("v2", _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = http.RequestsPerSecond,
                        TokensPerPeriod = http.RequestsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter("probes"));
        });

        var app = builder.Build();
        if (http.BearerToken is { Length: > 0 } token)
        {
            var bearer = new BearerToken(token);
            app.Use(next => context => bearer.Accepts(context.Request.Headers.Authorization)
                ? next(context)
                : Unauthorized(context));
        }

        app.UseRateLimiter();
        var health = _services.GetRequiredService<HealthCheckService>();
        if (http.HealthRoutes)
        {
            new HealthRoutes(health).Map(app);
        }

        if (http.InferenceRoutes)
        {
            new InferenceRoutes(_services.GetRequiredService<ActiveModel>(), health, http.MaxRequestBodyBytes).Map(app);
        }

        app.MapFallback((RequestDelegate)(context => HttpJson.WriteErrorAsync(context, StatusCodes.Status404NotFound, $"no route {context.Request.Method} {context.Request.Path}.")));
        return app;
    }

    private static IEnumerable<string> Urls(LocalHttpOptions http) =>
        http.Urls.Count > 0 || http.UnixSocketPath is { Length: > 0 } ? http.Urls : [LocalHttpOptionsValidator.DefaultUrl];

    private static Task Unauthorized(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return HttpJson.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "missing or wrong bearer token (Authorization: Bearer ...).");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed the stale Unix socket {Path} (nothing listened on it; left by an agent that was killed)")]
    private static partial void LogStaleSocketRemoved(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Local HTTP server listening on {Addresses} (health routes {Health}, inference routes {Inference}, bearer token {Token})")]
    private static partial void LogListening(ILogger logger, string addresses, bool health, bool inference, bool token);
}
