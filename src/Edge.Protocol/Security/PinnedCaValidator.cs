using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Edge.Protocol.Security;

/// <summary>
/// Accepts an MQTT broker's certificate only if it chains to the one configured CA and names the expected host; the
/// system trust store is never consulted, so a certificate from any other authority is refused. The agent and the
/// fleet tool both connect through it (docs/agent.md, "Design"; docs/fleet.md, broker options).
/// </summary>
/// <remarks>Revocation is not checked: device fleets run offline and private CAs rarely publish revocation lists; rotation replaces revocation.</remarks>
public sealed class PinnedCaValidator : IDisposable
{
    private readonly X509Certificate2 _authority;

    /// <summary>Pins <paramref name="authority"/>, which the validator owns and disposes.</summary>
    public PinnedCaValidator(X509Certificate2 authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        _authority = authority;
    }

    /// <summary>Pins the CA certificate in a PEM file.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The file holds no PEM certificate.</exception>
    public static PinnedCaValidator FromPemFile(string caFile) =>
        new(X509Certificate2.CreateFromPem(File.ReadAllText(caFile)));

    /// <summary>
    /// Whether the presented certificate is acceptable: present, issued for the host TLS expected (the platform's name
    /// check, passed in <paramref name="errors"/>), and chaining to the pinned CA. The platform's own chain verdict is
    /// ignored: it was built against the system store.
    /// </summary>
    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)
            || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    /// <summary>Disposes the pinned CA certificate.</summary>
    public void Dispose() => _authority.Dispose();
}
