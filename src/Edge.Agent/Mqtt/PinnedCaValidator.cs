using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Edge.Agent.Mqtt;

/// <summary>
/// Accepts a broker certificate only if it chains to the one configured CA (the system trust store is ignored)
/// and names the expected host. Pinning the CA means a certificate from any other authority is refused.
/// </summary>
internal sealed class PinnedCaValidator : IDisposable
{
    private readonly X509Certificate2 _authority;

    public PinnedCaValidator(X509Certificate2 authority) => _authority = authority;

    public static PinnedCaValidator FromPemFile(string caFile) =>
        new(X509Certificate2.CreateFromPem(File.ReadAllText(caFile)));

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
        // Device fleets run offline and private CAs rarely publish revocation lists; rotation replaces revocation.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    public void Dispose() => _authority.Dispose();
}
