namespace Edge.Packaging;

/// <summary>One signature in <c>manifest.sig</c>.</summary>
internal sealed class PackageSignatureEntry
{
    /// <summary>Id of the signing key (see <see cref="PackageKeyId"/>).</summary>
    public string KeyId { get; init; } = "";

    /// <summary>Always <see cref="PackageLayout.SignatureAlgorithm"/> in format version 1.</summary>
    public string Algorithm { get; init; } = "";

    /// <summary>Base64 of the 64-byte IEEE P1363 signature (r || s) over the manifest bytes.</summary>
    public string Value { get; init; } = "";
}
