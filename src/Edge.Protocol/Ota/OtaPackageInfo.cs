namespace Edge.Protocol.Ota;

/// <summary>The package a job installs: the <c>.edgepkg</c> file's name and version (as in its manifest), size and SHA-256.</summary>
public sealed record OtaPackageInfo
{
    /// <summary>The package name, as in its manifest.</summary>
    public string Name { get; set; } = "";

    /// <summary>Semantic Versioning 2.0.0; compared with the active model's version for anti-rollback.</summary>
    public string Version { get; set; } = "";

    /// <summary>Size of the package file in bytes.</summary>
    public long Size { get; init; }

    /// <summary>SHA-256 of the whole package file, 64 lowercase hex digits.</summary>
    public string Sha256 { get; set; } = "";
}
