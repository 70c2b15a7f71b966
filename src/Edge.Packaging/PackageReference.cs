namespace Edge.Packaging;

/// <summary>A package identified by name and version.</summary>
public sealed class PackageReference
{
    /// <summary>Package name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Package version (SemVer 2.0).</summary>
    public string Version { get; init; } = "";
}
