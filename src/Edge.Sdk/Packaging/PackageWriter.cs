using System.Formats.Tar;
using System.Security.Cryptography;

namespace Edge.Sdk.Packaging;

/// <summary>
/// Writes a <c>.edgepkg</c>: hashes every source file, builds and validates the manifest, signs its exact bytes,
/// then writes the tar (manifest, signature, files in manifest order) to a temporary file renamed into place.
/// </summary>
internal static class PackageWriter
{
    private const UnixFileMode EntryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static async Task<PackageManifest> WriteAsync(
        string outputPath,
        Func<IReadOnlyList<PackageFile>, PackageManifest> buildManifest,
        IReadOnlyList<PackageSourceFile> sources,
        IReadOnlyList<ECDsa> signingKeys,
        CancellationToken cancellationToken)
    {
        var files = new List<PackageFile>(sources.Count);
        foreach (var source in sources)
        {
            await using var stream = File.OpenRead(source.SourcePath);
            var hash = await SHA256.HashDataAsync(stream, cancellationToken);
            files.Add(new PackageFile { Path = source.ArchivePath, Role = source.Role, Sha256 = Convert.ToHexStringLower(hash), Size = stream.Length });
        }

        var manifest = buildManifest(files);
        var errors = PackageManifestValidator.Validate(manifest);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The package manifest fails {errors.Count} schema check(s): {string.Join("; ", errors)}.");
        }

        var manifestBytes = PackageManifestSerializer.Serialize(manifest);
        var signature = signingKeys.Count > 0 ? PackageSignatures.Sign(manifestBytes, signingKeys) : null;
        var fullOutput = Path.GetFullPath(outputPath);
        var temporary = Path.Combine(Path.GetDirectoryName(fullOutput)!, $".{Path.GetFileName(fullOutput)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1024 * 1024, useAsync: true))
            {
                await using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
                await WriteBytesAsync(tar, PackageLayout.ManifestEntry, manifestBytes, manifest.CreatedUtc, cancellationToken);
                if (signature is not null)
                {
                    await WriteBytesAsync(tar, PackageLayout.SignatureEntry, signature, manifest.CreatedUtc, cancellationToken);
                }

                foreach (var source in sources)
                {
                    await using var data = File.OpenRead(source.SourcePath);
                    var entry = NewEntry(source.ArchivePath, manifest.CreatedUtc);
                    entry.DataStream = data;
                    await tar.WriteEntryAsync(entry, cancellationToken);
                }
            }

            File.Move(temporary, fullOutput, overwrite: true);
            return manifest;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static async Task WriteBytesAsync(TarWriter tar, string name, byte[] bytes, DateTimeOffset modified, CancellationToken cancellationToken)
    {
        using var data = new MemoryStream(bytes, writable: false);
        var entry = NewEntry(name, modified);
        entry.DataStream = data;
        await tar.WriteEntryAsync(entry, cancellationToken);
    }

    private static PaxTarEntry NewEntry(string name, DateTimeOffset modified) =>
        new(TarEntryType.RegularFile, name)
        {
            Mode = EntryMode,
            ModificationTime = modified,
            Uid = 0,
            Gid = 0,
        };
}
