using System.Security.Cryptography;

namespace Edge.Sdk.Packaging;

/// <summary>Key ids: the first 16 bytes of SHA-256 over the public key's DER SubjectPublicKeyInfo, as 32 lowercase hex digits.</summary>
internal static class PackageKeyId
{
    public static string Compute(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(subjectPublicKeyInfo, hash);
        return Convert.ToHexStringLower(hash[..(PackageLayout.KeyIdHexLength / 2)]);
    }

    public static string Compute(ECDsa key) => Compute(key.ExportSubjectPublicKeyInfo());
}
