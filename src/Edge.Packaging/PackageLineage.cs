using System.Text.Json;

namespace Edge.Packaging;

/// <summary>Where a package came from: its parent package and the recipe or command that produced it.</summary>
public sealed class PackageLineage
{
    /// <summary>The package this one was derived from, or null.</summary>
    public PackageReference? Parent { get; init; }

    /// <summary>The optimizer recipe that produced the model, as a JSON object, or null.</summary>
    public JsonElement? Recipe { get; init; }

    /// <summary>The command line that produced the package, or empty.</summary>
    public string Command { get; init; } = "";
}
