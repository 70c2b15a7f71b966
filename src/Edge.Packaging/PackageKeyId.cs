using System.Security.Cryptography;

namespace Edge.Packaging;

/// <summary>Key ids: the first 16 bytes of SHA-256 over the public key's DER SubjectPublicKeyInfo, as 32 lowercase hex digits.</summary>
public static class PackageKeyId
{
    /// <summary>The key id of a DER-encoded SubjectPublicKeyInfo.</summary>
    /// <param name="subjectPublicKeyInfo">The public key, as <see cref="AsymmetricAlgorithm.ExportSubjectPublicKeyInfo"/> writes it.</param>
    /// <returns><see cref="PackageLayout.KeyIdHexLength"/> lowercase hex digits.</returns>
    public static string Compute(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(subjectPublicKeyInfo, hash);
        return Convert.ToHexStringLower(hash[..(PackageLayout.KeyIdHexLength / 2)]);
    }

    /// <summary>The key id of <paramref name="key"/>'s public key (a private key gives the id of its public half).</summary>
    /// <param name="key">The key; not disposed.</param>
    public static string Compute(ECDsa key) => Compute(key.ExportSubjectPublicKeyInfo());
}
