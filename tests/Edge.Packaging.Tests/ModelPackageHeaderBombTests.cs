using Edge.TestUtilities.Packaging;

namespace Edge.Packaging.Tests;

/// <summary>
/// Tar headers that claim sizes the archive does not hold (issue 17): each is a <see cref="PackageVerificationException"/>
/// naming what was wrong, never an exception from System.Formats.Tar and never a large allocation.
/// </summary>
public sealed class ModelPackageHeaderBombTests : IDisposable
{
    private readonly PackageTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    public static TheoryData<string, long> Bombs => new()
    {
        { "pax", HostileTar.HugeHeaderBytes },
        { "pax", PackageLayout.MaxTarMetadataBytes + 1 },
        { "pax", int.MaxValue - 1000 }, // Below Array.MaxLength: the tar reader would rent a 2 GiB buffer for it.
        { "gnu", HostileTar.HugeHeaderBytes },
        { "gnu", 1L << 40 },
    };

    [Theory]
    [MemberData(nameof(Bombs))]
    public async Task VerifyAsync_MetadataHeaderClaimingTooMuch_ThrowsCorruptArchiveNamingTheHeader(string kind, long claimed)
    {
        var package = await WriteAsync(kind, claimed);

        var error = await Assert.ThrowsAsync<PackageVerificationException>(() => ModelPackage.VerifyAsync(package, _bed.Trust, _bed.Options()));

        Assert.Equal(PackageFailureKind.CorruptArchive, error.Kind);
        Assert.Contains(kind == "pax" ? "pax extended header" : "GNU long name", error.Message, StringComparison.Ordinal);
        Assert.Contains($"claims {claimed} bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Bombs))]
    public async Task OpenAsync_MetadataHeaderClaimingTooMuch_ThrowsCorruptArchiveAndLeavesNothing(string kind, long claimed)
    {
        var package = await WriteAsync(kind, claimed);

        var error = await Assert.ThrowsAsync<PackageVerificationException>(() => ModelPackage.OpenAsync(package, _bed.Trust, _bed.Options()));

        Assert.Equal(PackageFailureKind.CorruptArchive, error.Kind);
        _bed.AssertNothingLeftBehind();
    }

    private async Task<string> WriteAsync(string kind, long claimed)
    {
        var path = Path.Combine(_bed.Root, $"{kind}-{claimed}.edgepkg");
        await File.WriteAllBytesAsync(path, kind == "pax" ? HostileTar.PaxHeaderBomb(claimed) : HostileTar.GnuLongNameBomb(claimed));
        return path;
    }
}
