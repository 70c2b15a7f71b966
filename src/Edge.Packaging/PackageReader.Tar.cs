using System.Formats.Tar;

namespace Edge.Packaging;

/// <summary>
/// The tar side of the reader: every entry header and data read goes through these, so every way System.Formats.Tar
/// can fail on a damaged or hostile archive becomes a <see cref="PackageVerificationException"/>.
/// </summary>
internal static partial class PackageReader
{
    /// <summary>
    /// Reads and parses only the first entry, <c>manifest.json</c>, with the same bounds and error mapping as
    /// a full read. Nothing is verified: no signature, no file.
    /// </summary>
    public static async Task<PackageManifest> ReadManifestAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using var guarded = new TarMetadataLimitStream(stream, PackageLayout.MaxTarMetadataBytes);
        await using var tar = new TarReader(guarded, leaveOpen: true);
        return PackageManifestSerializer.Parse(await ReadManifestBytesAsync(tar, cancellationToken));
    }

    private static async Task<byte[]> ReadManifestBytesAsync(TarReader tar, CancellationToken cancellationToken)
    {
        var first = await NextEntryAsync(tar, cancellationToken);
        if (first is null || first.Name != PackageLayout.ManifestEntry || !IsRegularFile(first) || first.Length > PackageLayout.MaxManifestBytes)
        {
            throw new PackageVerificationException(PackageFailureKind.MissingManifest,
                $"The first package entry must be the regular file '{PackageLayout.ManifestEntry}' of at most {PackageLayout.MaxManifestBytes} bytes; found " +
                (first is null ? "an empty archive." : $"'{first.Name}' ({first.EntryType}, {first.Length} bytes)."),
                first?.Name);
        }

        return await ReadSmallEntryAsync(first, cancellationToken);
    }

    private static async Task<int> ReadAsync(Stream data, Memory<byte> buffer, string entryName, CancellationToken cancellationToken)
    {
        try
        {
            return await data.ReadAsync(buffer, cancellationToken);
        }
        catch (EndOfStreamException exception)
        {
            throw new PackageVerificationException(PackageFailureKind.TruncatedArchive,
                $"The archive ends inside entry '{entryName}'.", entryName, exception);
        }
        catch (Exception exception) when (IsTarFormatFailure(exception))
        {
            throw new PackageVerificationException(PackageFailureKind.CorruptArchive,
                $"The package is not a valid tar archive inside entry '{entryName}': {exception.Message}", entryName, exception);
        }
    }

    private static async Task<TarEntry?> NextEntryAsync(TarReader tar, CancellationToken cancellationToken)
    {
        try
        {
            return await tar.GetNextEntryAsync(copyData: false, cancellationToken);
        }
        catch (EndOfStreamException exception)
        {
            throw new PackageVerificationException(PackageFailureKind.TruncatedArchive,
                $"The archive ends inside an entry header: {exception.Message}", innerException: exception);
        }
        catch (Exception exception) when (IsTarFormatFailure(exception))
        {
            throw new PackageVerificationException(PackageFailureKind.CorruptArchive,
                $"The package is not a valid tar archive: {exception.Message}", innerException: exception);
        }
    }

    /// <summary>
    /// What System.Formats.Tar throws on a header it cannot take. Which type depends on the field (InvalidDataException,
    /// FormatException, ArgumentException, InvalidOperationException for a size field too large for its entry type,
    /// OverflowException, NotSupportedException), so everything but cancellation, our own refusals and real I/O
    /// errors of the stream underneath is a format failure of the package.
    /// </summary>
    private static bool IsTarFormatFailure(Exception exception) =>
        exception is not (OperationCanceledException or PackageVerificationException or OutOfMemoryException)
        && (exception is not IOException || exception is InvalidDataException);
    private static bool IsRegularFile(TarEntry entry) =>
        entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile;
}
