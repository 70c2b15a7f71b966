namespace Edge.Packaging;

/// <summary>Why a package was refused. Carried by <see cref="PackageVerificationException.Kind"/>.</summary>
public enum PackageFailureKind
{
    /// <summary>The archive is not a readable tar stream (bad header or checksum).</summary>
    CorruptArchive,

    /// <summary>The archive ends before an entry's data or the declared files were complete.</summary>
    TruncatedArchive,

    /// <summary>The first entry is not <c>manifest.json</c>, or it is too large to be a manifest.</summary>
    MissingManifest,

    /// <summary>The manifest is not valid JSON or fails the schema checks; the message lists every error.</summary>
    InvalidManifest,

    /// <summary>The manifest's <c>formatVersion</c> is newer than this reader understands.</summary>
    UnsupportedFormatVersion,

    /// <summary>The package has no signature (<c>manifest.sig</c>) and unsigned packages were not allowed.</summary>
    MissingSignature,

    /// <summary>A signature from a trusted key does not match the manifest bytes: the manifest was altered after signing.</summary>
    SignatureInvalid,

    /// <summary>No signature was made by a key in the trust set.</summary>
    UntrustedSigner,

    /// <summary>An entry's path is absolute, contains <c>..</c>, or would otherwise land outside the extraction directory.</summary>
    UnsafeEntryPath,

    /// <summary>An entry is not a regular file (symbolic link, hard link, device, directory, sparse file...).</summary>
    UnsupportedEntryType,

    /// <summary>Two entries have the same path.</summary>
    DuplicateEntry,

    /// <summary>An entry is not listed in the manifest's files.</summary>
    UnexpectedEntry,

    /// <summary>A file listed in the manifest is not in the archive.</summary>
    MissingFile,

    /// <summary>An entry holds more bytes than the manifest declares, or the package exceeds the global size limit.</summary>
    SizeLimitExceeded,

    /// <summary>An entry holds fewer bytes than the manifest declares.</summary>
    SizeMismatch,

    /// <summary>An entry's SHA-256 differs from the manifest's.</summary>
    HashMismatch,

    /// <summary>The package's target (architecture, execution providers, minimum SDK version) does not match this device.</summary>
    TargetMismatch,
}
