using System.Security.Cryptography;

namespace Edge.Packaging;

/// <summary>
/// The package signing primitives for other signed bytes (OTA job documents, docs/protocol.md "Signed jobs"): ECDSA
/// P-256 / SHA-256 over the exact bytes given, IEEE P1363 signatures, key ids as in <c>manifest.sig</c>. The signature
/// document has the same JSON shape as <c>manifest.sig</c> (<c>{"signatures":[{"keyId","algorithm","value"}]}</c>).
/// Nothing is canonicalised: the verifier must hold the very bytes that were signed.
/// </summary>
public static class DetachedSignatures
{
    /// <summary>Signs <paramref name="content"/> with each key (ECDSA P-256, private) and returns the signature document's UTF-8 JSON.</summary>
    /// <exception cref="ArgumentException">A key is not on NIST P-256.</exception>
    public static byte[] Sign(ReadOnlySpan<byte> content, params IEnumerable<ECDsa> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return PackageSignatures.Sign(content, keys);
    }

    /// <summary>
    /// Checks <paramref name="content"/> against the signature document and returns the id of the trusted key whose
    /// signature matches. Signatures by keys outside <paramref name="trust"/> are skipped.
    /// </summary>
    /// <param name="content">The signed bytes, exactly as signed.</param>
    /// <param name="signatureDocument">UTF-8 JSON as returned by <see cref="Sign"/>.</param>
    /// <param name="trust">The accepted public keys.</param>
    /// <param name="subject">What is signed, for messages (e.g. "job document").</param>
    /// <exception cref="PackageVerificationException">
    /// <see cref="PackageFailureKind.SignatureInvalid"/> (no usable signature document, or a trusted key's signature does
    /// not match: the bytes were altered), or <see cref="PackageFailureKind.UntrustedSigner"/> (no trusted key signed).
    /// </exception>
    public static string Verify(ReadOnlySpan<byte> content, ReadOnlySpan<byte> signatureDocument, PackageTrust trust, string subject)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        return PackageSignatures.Verify(content, signatureDocument, trust, $"the {subject}", $"the {subject}'s signature", subject);
    }
}
