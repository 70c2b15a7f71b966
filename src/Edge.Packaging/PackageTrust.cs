using System.Security.Cryptography;

namespace Edge.Packaging;

/// <summary>
/// The public keys whose signatures this device accepts. Holding several keys lets publishers rotate: sign with
/// the new key (or both) while devices still trust the old one. Keys are ECDSA P-256, given as PEM
/// <c>-----BEGIN PUBLIC KEY-----</c> (SubjectPublicKeyInfo). Immutable after construction; safe to share.
/// </summary>
public sealed class PackageTrust
{
    private readonly Dictionary<string, byte[]> _keys;

    private PackageTrust(Dictionary<string, byte[]> keys)
    {
        _keys = keys;
    }

    /// <summary>A trust set with no keys: only unsigned packages with the development opt-in can be opened.</summary>
    public static PackageTrust None { get; } = new(new Dictionary<string, byte[]>(StringComparer.Ordinal));

    /// <summary>Ids of the trusted keys (32 lowercase hex digits each).</summary>
    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    /// <summary>Builds a trust set from PEM texts, each holding one P-256 public key.</summary>
    /// <exception cref="ArgumentException">A text is not a P-256 public key in PEM form.</exception>
    public static PackageTrust FromPem(params IEnumerable<string> pemTexts)
    {
        ArgumentNullException.ThrowIfNull(pemTexts);
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var index = 0;
        foreach (var pem in pemTexts)
        {
            var spki = ReadPublicKey(pem, $"public key #{index++}");
            keys[PackageKeyId.Compute(spki)] = spki;
        }

        return new PackageTrust(keys);
    }

    /// <summary>Reads PEM public-key files and builds a trust set.</summary>
    /// <exception cref="ArgumentException">A file is not a P-256 public key in PEM form.</exception>
    public static async Task<PackageTrust> FromPemFilesAsync(IEnumerable<string> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var pem = await File.ReadAllTextAsync(path, cancellationToken);
            var spki = ReadPublicKey(pem, $"'{path}'");
            keys[PackageKeyId.Compute(spki)] = spki;
        }

        return new PackageTrust(keys);
    }

    /// <summary>Returns the trusted key with this id, or null.</summary>
    internal ECDsa? CreateVerifier(string keyId)
    {
        if (!_keys.TryGetValue(keyId, out var spki))
        {
            return null;
        }

        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(spki, out _);
        return key;
    }

    private static byte[] ReadPublicKey(string pem, string what)
    {
        if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{what} is a private key; trust takes public keys only (-----BEGIN PUBLIC KEY-----).");
        }

        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(pem);
            var curve = key.ExportParameters(includePrivateParameters: false).Curve;
            if (curve.Oid?.Value != PackageSignatures.P256Oid)
            {
                throw new ArgumentException($"{what} is an EC key on curve '{curve.Oid?.FriendlyName ?? curve.Oid?.Value}'; packages are signed with NIST P-256.");
            }

            return key.ExportSubjectPublicKeyInfo();
        }
        catch (CryptographicException exception)
        {
            throw new ArgumentException($"{what} is not an EC P-256 public key in PEM form: {exception.Message}", exception);
        }
    }
}
