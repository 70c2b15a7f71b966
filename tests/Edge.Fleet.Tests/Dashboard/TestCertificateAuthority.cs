using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Edge.Fleet.Tests.Dashboard;

/// <summary>
/// A throw-away CA made with <see cref="CertificateRequest"/> that issues server and client certificates and writes
/// them as PEM files into a folder, for the https dashboard tests.
/// </summary>
internal sealed class TestCertificateAuthority : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _folder;

    public TestCertificateAuthority(string folder, string name)
    {
        _folder = folder;
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = TimeProvider.System.GetUtcNow();
        Certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        CertificatePath = Path.Combine(folder, $"{name}.crt");
        File.WriteAllText(CertificatePath, Certificate.ExportCertificatePem());
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate as a PEM file (what <c>--client-ca</c> takes).</summary>
    public string CertificatePath { get; }

    /// <summary>A server certificate for 127.0.0.1 and localhost; returns the PEM certificate and key paths.</summary>
    public (string Certificate, string Key) IssueServer(string name)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        using var issued = Issue(name, "1.3.6.1.5.5.7.3.1", san.Build(), out var key);
        return Write(name, issued, key);
    }

    /// <summary>A client certificate (TLS client authentication), with its private key.</summary>
    public X509Certificate2 IssueClient(string name)
    {
        using var issued = Issue(name, "1.3.6.1.5.5.7.3.2", null, out var key);
        using (key)
        {
            using var withKey = issued.CopyWithPrivateKey(key);

            // Exported and loaded again, so the TLS stack can use the key on every platform.
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }

    private X509Certificate2 Issue(string name, string usage, X509Extension? san, out ECDsa key)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (san is not null)
        {
            request.CertificateExtensions.Add(san);
        }

        var now = TimeProvider.System.GetUtcNow();
        return request.Create(Certificate, now.AddDays(-1), now.AddDays(10), RandomNumberGenerator.GetBytes(12));
    }

    private (string Certificate, string Key) Write(string name, X509Certificate2 issued, ECDsa key)
    {
        using (key)
        {
            var certificate = Path.Combine(_folder, $"{name}.crt");
            var keyPath = Path.Combine(_folder, $"{name}.key");
            File.WriteAllText(certificate, issued.ExportCertificatePem());
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
            return (certificate, keyPath);
        }
    }
}
