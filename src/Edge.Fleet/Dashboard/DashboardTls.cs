using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Edge.Fleet.Dashboard;

/// <summary>
/// The certificates of an https dashboard: its server certificate with key, and the client CA that client certificates
/// must chain to (<see cref="DashboardAuth"/>). Loaded from PEM files; <see cref="Problems"/> lists what is wrong with them.
/// </summary>
internal static class DashboardTls
{
    /// <summary>Every problem with the TLS settings of <paramref name="options"/>, one line each.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="https">Whether the listen address is https (when it parsed).</param>
    public static IReadOnlyList<string> Problems(DashboardOptions options, bool https)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var certificate = options.TlsCertificate;
        var key = options.TlsKey;
        if ((certificate is null) != (key is null))
        {
            errors.Add($"--tls-cert and --tls-key go together; got only {(certificate is null ? "--tls-key" : "--tls-cert")}.");
        }

        if (https && certificate is null && key is null)
        {
            errors.Add($"--listen: '{options.Listen}' is https, which needs the server certificate: give --tls-cert and --tls-key.");
        }

        if (!https && certificate is not null)
        {
            errors.Add($"--tls-cert: the listen address '{options.Listen}' must be an https URL to use a server certificate.");
        }

        if (!https && options.ClientCa is not null)
        {
            errors.Add($"--client-ca: client certificates need an https listen address with --tls-cert and --tls-key; '{options.Listen}' is not https.");
        }

        var certificateReadable = Readable(certificate, "--tls-cert", errors);
        var keyReadable = Readable(key, "--tls-key", errors);
        if (certificateReadable && keyReadable)
        {
            try
            {
                using var loaded = ServerCertificate(options);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                // A key of another certificate is an ArgumentException, an unreadable PEM a CryptographicException.
                errors.Add($"--tls-cert/--tls-key: '{certificate}' and '{key}' are not a PEM certificate and its matching private key ({e.Message.Trim()}).");
            }
        }

        if (Readable(options.ClientCa, "--client-ca", errors))
        {
            try
            {
                var authorities = ClientAuthorities(options.ClientCa!);
                if (authorities.Count == 0)
                {
                    errors.Add($"--client-ca: '{options.ClientCa}' holds no PEM certificate.");
                }

                foreach (var authority in authorities)
                {
                    authority.Dispose();
                }
            }
            catch (CryptographicException e)
            {
                errors.Add($"--client-ca: '{options.ClientCa}' is not a PEM certificate ({e.Message.Trim()}).");
            }
        }

        return errors;
    }

    /// <summary>The server certificate with its key, usable by Kestrel; the caller disposes it.</summary>
    /// <exception cref="CryptographicException">The files are not a PEM certificate and key.</exception>
    /// <exception cref="ArgumentException">The key is not the certificate's.</exception>
    public static X509Certificate2 ServerCertificate(DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var pem = X509Certificate2.CreateFromPemFile(options.TlsCertificate!, options.TlsKey);

        // SslStream on some platforms wants the key in a persisted form rather than an ephemeral PEM-loaded one.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The CA certificates in a PEM file; the caller disposes them.</summary>
    public static X509Certificate2Collection ClientAuthorities(string path)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(path);
        return authorities;
    }

    private static bool Readable(string? path, string option, List<string> errors)
    {
        if (path is null)
        {
            return false;
        }

        if (!File.Exists(path))
        {
            errors.Add($"{option}: '{path}' does not exist.");
            return false;
        }

        return true;
    }
}
