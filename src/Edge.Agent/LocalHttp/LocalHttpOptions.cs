namespace Edge.Agent;

/// <summary>
/// The optional local HTTP server (<c>Http:</c>, docs/local-http.md): health probes (<c>/healthz</c>, <c>/readyz</c>)
/// and an Open Inference Protocol (KServe v2 REST) endpoint for the served model. Off by default; when off, no HTTP
/// server is created at all.
/// </summary>
public sealed class LocalHttpOptions
{
    /// <summary>Default for <see cref="MaxRequestBodyBytes"/>: 4 MiB.</summary>
    public const long DefaultMaxRequestBodyBytes = 4L * 1024 * 1024;

    /// <summary>Turns the server on. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Addresses to listen on, each <c>http://IP:PORT</c> (or <c>http://localhost:PORT</c>, the IPv4 loopback).
    /// Default <c>http://127.0.0.1:8780</c> unless <see cref="UnixSocketPath"/> is set. A non-loopback address needs
    /// <see cref="BearerToken"/>. Port 0 picks a free port.
    /// </summary>
    public IList<string> Urls { get; set; } = [];

    /// <summary>A Unix domain socket to listen on (with or instead of <see cref="Urls"/>); its file permissions guard it.</summary>
    public string? UnixSocketPath { get; set; }

    /// <summary>
    /// When set, every request must carry <c>Authorization: Bearer TOKEN</c> (compared in constant time), else 401.
    /// Required when any of <see cref="Urls"/> is not a loopback address. At least 16 characters.
    /// </summary>
    public string? BearerToken { get; set; }

    /// <summary>Largest request body in bytes (Kestrel's MaxRequestBodySize), 1 KiB to 1 GiB; larger ones get 413. Default 4 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>Requests per second the inference routes accept (token bucket, burst of the same size), 1 to 100,000; more get 429. Default 100.</summary>
    public int RequestsPerSecond { get; set; } = 100;

    /// <summary>Open connections at most, 1 to 10,000. Default 32.</summary>
    public int MaxConnections { get; set; } = 32;

    /// <summary>Serves <c>/healthz</c> and <c>/readyz</c>. Default true.</summary>
    public bool HealthRoutes { get; set; } = true;

    /// <summary>Serves the Open Inference Protocol routes under <c>/v2</c>; needs <c>Ota:Enabled</c> (the served model). Default false.</summary>
    public bool InferenceRoutes { get; set; }
}
