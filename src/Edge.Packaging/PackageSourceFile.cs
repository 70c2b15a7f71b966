namespace Edge.Packaging;

/// <summary>A file to put in a package: where it is on disk, where it goes in the archive, and what it is for.</summary>
/// <param name="ArchivePath">Path inside the package, with <c>/</c> separators, relative and without <c>..</c> (for example <c>model/model.onnx</c>, see <see cref="PackageLayout"/>).</param>
/// <param name="SourcePath">The file on disk; read twice by <see cref="PackageWriter"/> (hashed, then copied) and never changed.</param>
/// <param name="Role">What the file is to the package: exactly one <see cref="PackageFileRole.Model"/> per package.</param>
public sealed record PackageSourceFile(string ArchivePath, string SourcePath, PackageFileRole Role);
