namespace Edge.Packaging;

/// <summary>One file in a package, as declared (and signed) in the manifest.</summary>
public sealed class PackageFile
{
    /// <summary>Archive path: relative, <c>/</c>-separated, no <c>.</c> or <c>..</c> segments.</summary>
    public string Path { get; init; } = "";

    /// <summary>What the file is for.</summary>
    public PackageFileRole Role { get; init; }

    /// <summary>SHA-256 of the file's bytes, 64 lowercase hex digits.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>Size in bytes.</summary>
    public long Size { get; init; }
}
