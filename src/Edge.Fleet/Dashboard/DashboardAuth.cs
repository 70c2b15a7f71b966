using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Edge.Fleet.Dashboard;

/// <summary>
/// Decides whether a request may act. Pages and the event stream need nothing (they are read-only); every action needs
/// either a client certificate that chains to the configured client CA (https only; the system's trust store is never
/// used) or the configured bearer token. With neither configured every action is refused.
/// </summary>
internal sealed class DashboardAuth
{
    /// <summary>The extended key usage a client certificate may be used for: TLS client authentication.</summary>
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    private readonly string? _token;
    private readonly X509Certificate2Collection? _clientCa;
    private readonly TimeProvider _time;

    /// <param name="token">The bearer token, or null.</param>
    /// <param name="clientCa">The CA certificates client certificates must chain to, or null for no client certificates.</param>
    /// <param name="time">The time a certificate's validity is checked at.</param>
    public DashboardAuth(string? token, X509Certificate2Collection? clientCa, TimeProvider time)
    {
        _token = token;
        _clientCa = clientCa is { Count: > 0 } ? clientCa : null;
        _time = time;
    }

    /// <summary>Whether any way to act is configured; otherwise the dashboard is read-only.</summary>
    public bool ActionsEnabled => _token is not null || _clientCa is not null;

    /// <summary>Whether a bearer token is configured (the pages then draw its input field).</summary>
    public bool HasToken => _token is not null;

    /// <summary>Whether client certificates are accepted.</summary>
    public bool AcceptsClientCertificates => _clientCa is not null;

    /// <summary>The subject of the request's client certificate when it chains to the client CA, else null.</summary>
    public string? TrustedClient(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _clientCa is not null && context.Connection.ClientCertificate is { } certificate && Chains(certificate, _clientCa)
            ? certificate.Subject
            : null;
    }

    /// <summary>Why the request may not act (one line), or null when it may.</summary>
    public string? Refusal(HttpContext context)
    {
        if (!ActionsEnabled)
        {
            return "actions are disabled: the dashboard was started without a token (--token-file or EDGE_FLEET_DASHBOARD_TOKEN) or a client CA (--client-ca).";
        }

        if (TrustedClient(context) is not null)
        {
            return null;
        }

        var certificate = _clientCa is null ? string.Empty
            : context.Connection.ClientCertificate is null ? "no client certificate was presented, and "
            : "the client certificate is not signed by the dashboard's client CA (or has expired), and ";
        if (_token is null)
        {
            return $"{certificate}the dashboard accepts no bearer token: present a client certificate signed by its client CA.";
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            return $"{certificate}missing bearer token: send 'Authorization: Bearer TOKEN'.";
        }

        // Hashing first makes the comparison fixed-time whatever the lengths.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(_token));
        return CryptographicOperations.FixedTimeEquals(given, expected) ? null : $"{certificate}the bearer token does not match the dashboard's token.";
    }

    private bool Chains(X509Certificate2 certificate, X509Certificate2Collection roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ClientAuthentication));
        return chain.Build(certificate);
    }
}
