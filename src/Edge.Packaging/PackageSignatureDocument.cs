namespace Edge.Packaging;

/// <summary>The JSON document stored as <c>manifest.sig</c>.</summary>
internal sealed class PackageSignatureDocument
{
    public IReadOnlyList<PackageSignatureEntry> Signatures { get; init; } = [];
}
