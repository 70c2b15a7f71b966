using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Edge.Packaging;

/// <summary>
/// Signs and verifies the exact bytes of <c>manifest.json</c> with ECDSA P-256 / SHA-256. The signature is detached,
/// stored in <c>manifest.sig</c>; since the manifest holds every file's SHA-256, it covers the whole package.
/// </summary>
internal static class PackageSignatures
{
    public const string P256Oid = "1.2.840.10045.3.1.7";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NewLine = "\n",
        RespectNullableAnnotations = true,
        TypeInfoResolver = PackageJsonContext.Default,
    };

    private static readonly JsonTypeInfo<PackageSignatureDocument> DocumentInfo = (JsonTypeInfo<PackageSignatureDocument>)Options.GetTypeInfo(typeof(PackageSignatureDocument));

    /// <summary>Signs the manifest bytes with each key and returns the <c>manifest.sig</c> bytes.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> manifest, IEnumerable<ECDsa> keys)
    {
        var entries = new List<PackageSignatureEntry>();
        foreach (var key in keys)
        {
            if (key.ExportParameters(includePrivateParameters: false).Curve.Oid?.Value != P256Oid)
            {
                throw new ArgumentException("Package signing keys must be ECDSA on NIST P-256.", nameof(keys));
            }

            var signature = key.SignData(manifest, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            entries.Add(new PackageSignatureEntry
            {
                KeyId = PackageKeyId.Compute(key),
                Algorithm = PackageLayout.SignatureAlgorithm,
                Value = Convert.ToBase64String(signature),
            });
        }

        return JsonSerializer.SerializeToUtf8Bytes(new PackageSignatureDocument { Signatures = entries }, DocumentInfo);
    }

    /// <summary>
    /// Returns the id of the trusted key whose signature matches. A signature from a trusted key that does not match
    /// is an altered manifest; signatures from keys outside the trust set are skipped.
    /// </summary>
    public static string Verify(ReadOnlySpan<byte> manifest, ReadOnlySpan<byte> signatureDocument, PackageTrust trust) =>
        Verify(manifest, signatureDocument, trust, PackageLayout.ManifestEntry, PackageLayout.SignatureEntry, "package");

    /// <summary>
    /// <see cref="Verify(ReadOnlySpan{byte}, ReadOnlySpan{byte}, PackageTrust)"/> for any signed bytes: messages name
    /// <paramref name="contentName"/> (what was signed), <paramref name="signatureName"/> (where the signatures are) and
    /// <paramref name="subject"/> (what is signed, e.g. "package" or "job document").
    /// </summary>
    public static string Verify(ReadOnlySpan<byte> manifest, ReadOnlySpan<byte> signatureDocument, PackageTrust trust, string contentName, string signatureName, string subject)
    {
        PackageSignatureDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(signatureDocument, DocumentInfo);
        }
        catch (JsonException exception)
        {
            throw new PackageVerificationException(PackageFailureKind.SignatureInvalid, $"{signatureName} is not a valid signature document: {exception.Message}", signatureName, exception);
        }

        if (document is null || document.Signatures.Count == 0)
        {
            throw new PackageVerificationException(PackageFailureKind.SignatureInvalid, $"{signatureName} holds no signatures.", signatureName);
        }

        foreach (var entry in document.Signatures)
        {
            using var key = trust.CreateVerifier(entry.KeyId);
            if (key is null)
            {
                continue;
            }

            if (entry.Algorithm != PackageLayout.SignatureAlgorithm)
            {
                throw new PackageVerificationException(PackageFailureKind.SignatureInvalid,
                    $"{signatureName}: signature by key {entry.KeyId} uses algorithm '{entry.Algorithm}', expected '{PackageLayout.SignatureAlgorithm}'.", signatureName);
            }

            var value = new byte[64];
            var valid = Convert.TryFromBase64String(entry.Value, value, out var length) && length == 64
                && key.VerifyData(manifest, value, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            if (!valid)
            {
                throw new PackageVerificationException(PackageFailureKind.SignatureInvalid,
                    $"The signature by trusted key {entry.KeyId} does not match {contentName}: it was altered after signing, or the signature is corrupt.",
                    contentName);
            }

            return entry.KeyId;
        }

        var signers = string.Join(", ", document.Signatures.Select(s => s.KeyId));
        var trusted = trust.KeyIds.Count == 0 ? "no keys" : string.Join(", ", trust.KeyIds);
        throw new PackageVerificationException(PackageFailureKind.UntrustedSigner,
            $"The {subject} is signed by key(s) {signers}, but trust holds {trusted}.", signatureName);
    }
}
