using System.Globalization;

namespace Edge.Fleet.Dashboard;

/// <summary>Settings of the fleet dashboard (<c>edge-fleet dashboard</c>, or hosted by another web application).</summary>
internal sealed record DashboardOptions
{
    /// <summary>The default listen address: loopback only, so nothing outside the machine sees the fleet unless asked.</summary>
    public const string DefaultListen = "http://127.0.0.1:8080";

    /// <summary>Where Kestrel listens: an absolute http or https URL; port 0 picks a free port. Default <see cref="DefaultListen"/>.</summary>
    public string Listen { get; init; } = DefaultListen;

    /// <summary>
    /// The bearer token that action endpoints require. Null (the default) makes the dashboard read-only: every action
    /// answers 401.
    /// </summary>
    public string? Token { get; init; }

    /// <summary>How often the live stream (<c>/events</c>) re-reads the store and pushes a changed snapshot. Default 2 s; 0.1 s to 1 h.</summary>
    public TimeSpan Refresh { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How much telemetry history the pages show and judge breaches on. Default 1 h; more than 0, at most 7 days.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Breach rule: a device breaches when its latest sample's p95 latency (any model) is above this many milliseconds.
    /// Null turns the latency check off. Default 100 ms.
    /// </summary>
    public double? MaxP95Ms { get; init; } = 100;

    /// <summary>The server certificate (PEM) of an https <see cref="Listen"/> address; needs <see cref="TlsKey"/>.</summary>
    public string? TlsCertificate { get; init; }

    /// <summary>The server certificate's private key (PEM, unencrypted).</summary>
    public string? TlsKey { get; init; }

    /// <summary>
    /// The CA certificate(s) (PEM) that client certificates must chain to: a request with such a certificate may act
    /// without the token. https only; the system's trust store is never used for clients.
    /// </summary>
    public string? ClientCa { get; init; }

    /// <summary>Every problem with these settings, as one readable line each (empty when valid); reads the certificate files.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var https = false;
        if (!Uri.TryCreate(Listen, UriKind.Absolute, out var listen) || listen.Scheme is not ("http" or "https") || listen.AbsolutePath != "/")
        {
            errors.Add($"--listen: '{Listen}' must be an http or https URL with a host and port and no path, e.g. {DefaultListen}.");
        }
        else
        {
            https = listen.Scheme == "https";
        }

        errors.AddRange(DashboardTls.Problems(this, https));

        if (Token is { } token && (token.Length < 16 || token.Any(char.IsWhiteSpace)))
        {
            errors.Add($"token: must be at least 16 characters without whitespace; got {token.Length} characters.");
        }

        if (Refresh < TimeSpan.FromMilliseconds(100) || Refresh > TimeSpan.FromHours(1))
        {
            errors.Add($"--refresh: {Refresh.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s is outside 0.1 s to 1 h.");
        }

        if (Window <= TimeSpan.Zero || Window > TimeSpan.FromDays(7))
        {
            errors.Add($"--window: {Window} is outside (0, 7 days].");
        }

        if (MaxP95Ms is { } max && !(max > 0 && double.IsFinite(max)))
        {
            errors.Add($"--max-p95: {max.ToString(CultureInfo.InvariantCulture)} ms must be a positive number.");
        }

        return errors;
    }
}
