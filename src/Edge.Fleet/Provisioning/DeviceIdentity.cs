using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Edge.Fleet.Provisioning;

/// <summary>
/// The identity a device certificate gives it on the broker: the subject's one Common Name, which Mosquitto takes as
/// the user name (<c>use_identity_as_username</c>) and the ACL expands into <c>edge/{fleet}/{device}/…</c>. A usable
/// CN is <c>{fleet}/{device}</c>, each part 1–64 letters, digits, '-' or '_' (the agent's topic-level rule).
/// </summary>
internal sealed record DeviceIdentity(string Fleet, string Device)
{
    private const string CommonNameOid = "2.5.4.3";

    /// <summary>The two lines provisioning appends to the broker ACL so the device reads its fleet's group jobs.</summary>
    public IEnumerable<string> AclLines() => [$"user {Fleet}/{Device}", $"topic read edge-groups/{Fleet}/+/ota/job"];

    /// <summary>Reads the certificate (PEM or DER) and checks its subject.</summary>
    /// <exception cref="ArgumentException">The file is not a certificate, or its CN is not <c>{fleet}/{device}</c>; the message says which and why.</exception>
    public static DeviceIdentity FromCertificateFile(string path)
    {
        X509Certificate2 certificate;
        try
        {
            var bytes = File.ReadAllBytes(path);
            certificate = bytes.AsSpan().StartsWith("-----BEGIN"u8)
                ? X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(bytes))
                : X509CertificateLoader.LoadCertificate(bytes);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"'{path}' is not a readable X.509 certificate (PEM or DER): {e.Message}", e);
        }

        using (certificate)
        {
            var names = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
                .Where(n => n.GetSingleElementType().Value == CommonNameOid)
                .Select(n => n.GetSingleElementValue() ?? string.Empty)
                .ToList();
            if (names.Count != 1)
            {
                throw new ArgumentException($"'{path}': the subject '{certificate.Subject}' has {names.Count} CN attributes; expected exactly one, '{{fleet}}/{{device}}'.");
            }

            return FromCommonName(names[0], path);
        }
    }

    /// <exception cref="ArgumentException"><paramref name="commonName"/> is not <c>{fleet}/{device}</c>.</exception>
    public static DeviceIdentity FromCommonName(string commonName, string source)
    {
        var parts = commonName.Split('/');
        if (parts.Length == 1)
        {
            throw new ArgumentException(
                $"'{source}': CN '{commonName}' has no device part; expected '{{fleet}}/{{device}}' (as the broker user name, a fleet-only CN would be refused every device topic).");
        }

        if (parts.Length != 2 || !IsTopicLevel(parts[0]) || !IsTopicLevel(parts[1]))
        {
            throw new ArgumentException($"'{source}': CN '{commonName}' is not '{{fleet}}/{{device}}' with each part 1-64 letters, digits, '-' or '_'.");
        }

        return new DeviceIdentity(parts[0], parts[1]);
    }

    private static bool IsTopicLevel(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
