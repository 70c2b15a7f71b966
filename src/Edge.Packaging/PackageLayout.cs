namespace Edge.Packaging;

/// <summary>Fixed names and limits of the <c>.edgepkg</c> layout (see <c>docs/package-format.md</c>).</summary>
public static class PackageLayout
{
    /// <summary>The first entry of every package.</summary>
    public const string ManifestEntry = "manifest.json";

    /// <summary>The second entry of a signed package: the detached signatures over the manifest bytes.</summary>
    public const string SignatureEntry = "manifest.sig";

    /// <summary>Folder of the model and its external data.</summary>
    public const string ModelFolder = "model/";

    /// <summary>Folder of golden samples.</summary>
    public const string GoldenFolder = "golden/";

    /// <summary>A manifest larger than this is refused before it is read (labels of a 100k-class model fit easily).</summary>
    public const long MaxManifestBytes = 16L * 1024 * 1024;

    /// <summary>A signature document larger than this is refused before it is read.</summary>
    public const long MaxSignatureBytes = 64L * 1024;

    /// <summary>
    /// Largest tar metadata entry read (a pax extended header, or a GNU long name or link): 1 MiB. Packages need a
    /// few hundred bytes; a header claiming more is refused before the tar reader allocates for it.
    /// </summary>
    public const long MaxTarMetadataBytes = 1024 * 1024;

    /// <summary>The signature algorithm name written in <c>manifest.sig</c>.</summary>
    public const string SignatureAlgorithm = "ecdsa-p256-sha256";

    /// <summary>Number of hex digits in a key id (the first 16 bytes of SHA-256 over the key's SubjectPublicKeyInfo).</summary>
    public const int KeyIdHexLength = 32;
}
