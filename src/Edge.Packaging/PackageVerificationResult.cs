namespace Edge.Packaging;

/// <summary>What verifying a package established. Returned by <see cref="ModelPackage.VerifyAsync"/>.</summary>
public sealed class PackageVerificationResult
{
    internal PackageVerificationResult(PackageManifest manifest, string? signerKeyId, long fileBytes)
    {
        Manifest = manifest;
        SignerKeyId = signerKeyId;
        FileBytes = fileBytes;
    }

    /// <summary>The verified manifest.</summary>
    public PackageManifest Manifest { get; }

    /// <summary>The id of the trusted key whose signature matched, or null for an unsigned package opened with the development opt-in.</summary>
    public string? SignerKeyId { get; }

    /// <summary>Bytes of file data read and hashed (all files, excluding the manifest and signature).</summary>
    public long FileBytes { get; }
}
