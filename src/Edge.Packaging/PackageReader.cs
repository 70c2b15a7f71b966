using System.Buffers;
using System.Formats.Tar;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Edge.Packaging;

/// <summary>
/// Reads a package stream once, front to back: manifest, signature, then each file, hashed and size-checked while
/// it is copied to <c>stagingDirectory</c> (or discarded when that is null). Nothing is trusted before the
/// signature over the manifest has been checked, and no file byte is written that the manifest did not declare.
/// </summary>
internal static partial class PackageReader
{
    private const int ChunkBytes = 1024 * 1024;

    public static async Task<PackageVerificationResult> ReadAsync(
        Stream stream, PackageTrust trust, PackageOpenOptions options, string? stagingDirectory, CancellationToken cancellationToken)
    {
        // The tar reader sees the stream through a guard that refuses oversized metadata headers before it reads them.
        await using var guarded = new TarMetadataLimitStream(stream, PackageLayout.MaxTarMetadataBytes);
        await using var tar = new TarReader(guarded, leaveOpen: true);
        var manifestBytes = await ReadManifestBytesAsync(tar, cancellationToken);
        var next = await NextEntryAsync(tar, cancellationToken);
        string? signer = null;
        if (next is not null && next.Name == PackageLayout.SignatureEntry && IsRegularFile(next))
        {
            if (next.Length > PackageLayout.MaxSignatureBytes)
            {
                throw new PackageVerificationException(PackageFailureKind.SizeLimitExceeded,
                    $"'{PackageLayout.SignatureEntry}' is {next.Length} bytes; the limit is {PackageLayout.MaxSignatureBytes}.", next.Name);
            }

            var signatureBytes = await ReadSmallEntryAsync(next, cancellationToken);
            signer = PackageSignatures.Verify(manifestBytes, signatureBytes, trust);
            next = await NextEntryAsync(tar, cancellationToken);
        }

        var manifest = PackageManifestSerializer.Parse(manifestBytes);
        if (signer is null)
        {
            if (!options.AllowUnsignedPackagesForDevelopmentOnly)
            {
                throw new PackageVerificationException(PackageFailureKind.MissingSignature,
                    $"Package '{manifest.Name}' {manifest.Version} has no '{PackageLayout.SignatureEntry}'; unsigned packages are refused " +
                    $"unless {nameof(PackageOpenOptions.AllowUnsignedPackagesForDevelopmentOnly)} is set.");
            }

#pragma warning disable CA1848 // Logged once per unsigned package open; not a hot path.
            options.Logger?.LogWarning(
                "Opening UNSIGNED package {Name} {Version}: AllowUnsignedPackagesForDevelopmentOnly is set. Its origin is unverified; never do this in production.",
                manifest.Name, manifest.Version);
#pragma warning restore CA1848
        }

        CheckTargetAndSizes(manifest, options);
        var declared = manifest.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal) { PackageLayout.ManifestEntry };
        if (signer is not null)
        {
            seen.Add(PackageLayout.SignatureEntry);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        long total = 0;
        try
        {
            for (var entry = next; entry is not null; entry = await NextEntryAsync(tar, cancellationToken))
            {
                var file = CheckEntry(entry, declared, seen);
                if (total + entry.Length > options.MaxPackageBytes)
                {
                    throw new PackageVerificationException(PackageFailureKind.SizeLimitExceeded,
                        $"Package data exceeds the limit of {options.MaxPackageBytes} bytes at entry '{entry.Name}' ({total} + {entry.Length} bytes).", entry.Name);
                }

                total += await CopyEntryAsync(entry, file, stagingDirectory, buffer, cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var missing = manifest.Files.Where(f => !seen.Contains(f.Path)).Select(f => $"'{f.Path}' ({f.Role})").ToList();
        if (missing.Count > 0)
        {
            throw new PackageVerificationException(PackageFailureKind.MissingFile,
                $"The package lacks {missing.Count} file(s) its manifest lists: {string.Join(", ", missing)}.", manifest.Files.First(f => !seen.Contains(f.Path)).Path);
        }

        return new PackageVerificationResult(manifest, signer, total);
    }

    private static void CheckTargetAndSizes(PackageManifest manifest, PackageOpenOptions options)
    {
        if (!options.SkipTargetCheck)
        {
            // PackageOpenOptions.Validate refuses a null device unless the check is skipped.
            var device = options.Device!;
            var mismatches = device.Mismatches(manifest.Target);
            if (mismatches.Count > 0)
            {
                throw new PackageVerificationException(PackageFailureKind.TargetMismatch,
                    $"Package '{manifest.Name}' {manifest.Version} does not fit this device: {string.Join("; ", mismatches)}.");
            }
        }

        var declaredTotal = manifest.Files.Aggregate(0m, (sum, f) => sum + f.Size);
        if (declaredTotal > options.MaxPackageBytes)
        {
            throw new PackageVerificationException(PackageFailureKind.SizeLimitExceeded,
                $"The manifest declares {declaredTotal} bytes of files; the limit is {options.MaxPackageBytes} bytes.");
        }
    }

    private static PackageFile CheckEntry(TarEntry entry, Dictionary<string, PackageFile> declared, HashSet<string> seen)
    {
        if (!IsRegularFile(entry))
        {
            var link = entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink ? $" pointing to '{entry.LinkName}'" : "";
            throw new PackageVerificationException(PackageFailureKind.UnsupportedEntryType,
                $"Package entry '{entry.Name}' is a {entry.EntryType}{link}; packages hold regular files only.", entry.Name);
        }

        if (PackageEntryPath.Problem(entry.Name) is { } problem)
        {
            throw new PackageVerificationException(PackageFailureKind.UnsafeEntryPath,
                $"Package entry '{entry.Name}' is refused because {problem}; entries must stay inside the extraction directory.", entry.Name);
        }

        if (!seen.Add(entry.Name))
        {
            throw new PackageVerificationException(PackageFailureKind.DuplicateEntry,
                $"Package entry '{entry.Name}' appears more than once.", entry.Name);
        }

        if (!declared.TryGetValue(entry.Name, out var file))
        {
            throw new PackageVerificationException(PackageFailureKind.UnexpectedEntry,
                $"Package entry '{entry.Name}' is not listed in manifest.json.", entry.Name);
        }

        // Refuse before reading a byte: the header alone shows an entry larger than the signed manifest allows.
        if (entry.Length > file.Size)
        {
            throw new PackageVerificationException(PackageFailureKind.SizeLimitExceeded,
                $"Package entry '{entry.Name}' holds {entry.Length} bytes; the manifest declares {file.Size}.", entry.Name);
        }

        if (entry.Length < file.Size)
        {
            throw new PackageVerificationException(PackageFailureKind.SizeMismatch,
                $"Package entry '{entry.Name}' holds {entry.Length} bytes; the manifest declares {file.Size}.", entry.Name);
        }

        return file;
    }

    private static async Task<long> CopyEntryAsync(TarEntry entry, PackageFile file, string? stagingDirectory, byte[] buffer, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        FileStream? output = null;
        if (stagingDirectory is not null)
        {
            var target = PackageEntryPath.Resolve(stagingDirectory, entry.Name);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            output = new FileStream(target, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
                PreallocationSize = file.Size,
            });
        }

        long copied = 0;
        await using (output)
        {
            var data = entry.DataStream;
            while (data is not null)
            {
                var read = await ReadAsync(data, buffer, entry.Name, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                copied += read;
                if (copied > file.Size)
                {
                    throw new PackageVerificationException(PackageFailureKind.SizeLimitExceeded,
                        $"Package entry '{entry.Name}' holds more than the {file.Size} bytes the manifest declares.", entry.Name);
                }

                hash.AppendData(buffer, 0, read);
                if (output is not null)
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
        }

        if (copied != file.Size)
        {
            throw new PackageVerificationException(PackageFailureKind.TruncatedArchive,
                $"The archive ends inside entry '{entry.Name}' after {copied} of {file.Size} bytes.", entry.Name);
        }

        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != file.Sha256)
        {
            throw new PackageVerificationException(PackageFailureKind.HashMismatch,
                $"Package file '{entry.Name}' has sha256 {actual}; the manifest expects {file.Sha256}.", entry.Name);
        }

        return copied;
    }

    private static async Task<byte[]> ReadSmallEntryAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        var bytes = new byte[entry.Length];
        var filled = 0;
        while (entry.DataStream is not null && filled < bytes.Length)
        {
            var read = await ReadAsync(entry.DataStream, bytes.AsMemory(filled), entry.Name, cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        if (filled != bytes.Length)
        {
            throw new PackageVerificationException(PackageFailureKind.TruncatedArchive,
                $"The archive ends inside entry '{entry.Name}' after {filled} of {bytes.Length} bytes.", entry.Name);
        }

        return bytes;
    }
}
