namespace Edge.Sdk.Packaging;

/// <summary>A file to put in a package: where it is on disk, where it goes in the archive, and what it is for.</summary>
internal sealed record PackageSourceFile(string ArchivePath, string SourcePath, PackageFileRole Role);
