namespace Edge.Packaging;

/// <summary>The tool that wrote a package, for example <c>edge-optimize</c> <c>0.1.0</c>.</summary>
public sealed class PackageTool
{
    /// <summary>Tool name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Tool version.</summary>
    public string Version { get; init; } = "";
}
