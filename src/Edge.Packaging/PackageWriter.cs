using System.Formats.Tar;
using System.Security.Cryptography;

namespace Edge.Packaging;

/// <summary>
/// Writes a <c>.edgepkg</c>: hashes every source file, builds and validates the manifest, signs its exact bytes,
/// then writes the tar (manifest, signature, files in manifest order) to a temporary file renamed into place, so
/// <c>outputPath</c> never holds a partial package. Every entry carries the manifest's creation time and owner 0, so
/// the same inputs give the same bytes.
/// </summary>
public static class PackageWriter
{
    private const UnixFileMode EntryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes and signs a package.</summary>
    /// <param name="outputPath">The <c>.edgepkg</c> to write; an existing file is replaced once the new one is complete.</param>
    /// <param name="buildManifest">Builds the manifest from the hashed file list (in the order of <paramref name="sources"/>); the result must pass <see cref="PackageManifestValidator"/>.</param>
    /// <param name="sources">The files to pack, in archive order.</param>
    /// <param name="signingKeys">ECDSA P-256 private keys, each adding a signature to <c>manifest.sig</c>; empty for an unsigned (development-only) package. The caller keeps ownership.</param>
    /// <param name="cancellationToken">Stops the write; the temporary file is deleted.</param>
    /// <returns>The manifest as written.</returns>
    /// <exception cref="ArgumentException">The manifest fails the schema checks (every error is listed), or a key is not P-256.</exception>
    /// <exception cref="IOException">A source file cannot be read or the output cannot be written.</exception>
    public static async Task<PackageManifest> WriteAsync(
        string outputPath,
        Func<IReadOnlyList<PackageFile>, PackageManifest> buildManifest,
        IReadOnlyList<PackageSourceFile> sources,
        IReadOnlyList<ECDsa> signingKeys,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        ArgumentNullException.ThrowIfNull(buildManifest);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(signingKeys);
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
