using System.Formats.Tar;
using System.Text;

namespace Edge.Packaging.Tests;

/// <summary>Hostile or broken archives: escaping paths, links, duplicates, bombs, truncation, missing files.</summary>
public sealed class ModelPackageArchiveTests : IDisposable
{
    private readonly PackageTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Theory]
    [InlineData("../evil.onnx", "'..'")]
    [InlineData("model/../../evil.onnx", "'..'")]
    [InlineData("/tmp/evil.onnx", "absolute")]
    [InlineData("model\\..\\..\\evil.onnx", "backslash")]
    [InlineData("model//evil.onnx", "empty")]
    public async Task OpenAsync_EntryPathEscaping_ThrowsUnsafeEntryPath(string path, string reason)
    {
        var package = _bed.Rewrite(await _bed.PackAsync(), entries => [.. entries, new RawEntry(path, "evil"u8.ToArray())]);

        var error = await AssertRefusedAsync(package, PackageFailureKind.UnsafeEntryPath);

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_bed.Root, "evil.onnx")));
        Assert.False(File.Exists("/tmp/evil.onnx"));
    }

    [Theory]
    [InlineData(TarEntryType.SymbolicLink, "/etc/passwd")]
    [InlineData(TarEntryType.HardLink, "model/mnist.onnx")]
    [InlineData(TarEntryType.Directory, null)]
    public async Task OpenAsync_LinkOrNonFileEntry_ThrowsUnsupportedEntryType(TarEntryType type, string? target)
    {
        var package = _bed.Rewrite(await _bed.PackAsync(), entries => [.. entries, new RawEntry("model/link.onnx", [], type, target)]);

        var error = await AssertRefusedAsync(package, PackageFailureKind.UnsupportedEntryType);

        Assert.Contains("model/link.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains(type.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_SymbolicLinkReplacingModel_ThrowsBeforeWritingIt()
    {
        var package = _bed.Rewrite(await _bed.PackAsync(), entries =>
            [entries[0], entries[1], new RawEntry("model/mnist.onnx", [], TarEntryType.SymbolicLink, "../../../../etc/passwd")]);

        var error = await AssertRefusedAsync(package, PackageFailureKind.UnsupportedEntryType);

        Assert.Contains("../../../../etc/passwd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_DuplicateEntry_ThrowsDuplicateEntry()
    {
        var package = _bed.Rewrite(await _bed.PackAsync(), entries => [.. entries, entries[2]]);

        var error = await AssertRefusedAsync(package, PackageFailureKind.DuplicateEntry);

        Assert.Equal("model/mnist.onnx", error.EntryPath);
    }

    [Fact]
    public async Task OpenAsync_SecondManifestEntry_ThrowsDuplicateEntry()
    {
        var package = _bed.Rewrite(await _bed.PackAsync(), entries => [.. entries, entries[0]]);

        await AssertRefusedAsync(package, PackageFailureKind.DuplicateEntry);
    }

    [Fact]
    public async Task OpenAsync_EntryNotInManifest_ThrowsUnexpectedEntry()
    {
        var package = _bed.Rewrite(await _bed.PackAsync(), entries => [.. entries, new RawEntry("model/extra.bin", [1, 2, 3])]);

        var error = await AssertRefusedAsync(package, PackageFailureKind.UnexpectedEntry);

        Assert.Contains("model/extra.bin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_MissingModelFile_ThrowsMissingFile()
    {
        var package = _bed.Rewrite(await _bed.PackAsync(), entries => entries.Take(2));

        var error = await AssertRefusedAsync(package, PackageFailureKind.MissingFile);

        Assert.Contains("'model/mnist.onnx' (Model)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_ManifestNotFirst_ThrowsMissingManifest()
    {
        var package = _bed.Rewrite(await _bed.PackAsync(), entries => [entries[2], entries[0], entries[1]]);

        await AssertRefusedAsync(package, PackageFailureKind.MissingManifest);
    }

    [Fact]
    public async Task OpenAsync_EntryLargerThanDeclared_StopsBeforeReadingItsData()
    {
        const int bombBytes = 64 * 1024 * 1024;
        var package = _bed.Rewrite(await _bed.PackAsync(), entries =>
        {
            entries[2] = entries[2] with { Data = new byte[bombBytes] };
            return entries;
        });
        await using var counting = new CountingStream(File.OpenRead(package));

        var error = await Assert.ThrowsAsync<PackageVerificationException>(() =>
            PackageReader.ReadAsync(counting, _bed.Trust, _bed.Options(), stagingDirectory: null, CancellationToken.None));

        Assert.Equal(PackageFailureKind.SizeLimitExceeded, error.Kind);
        Assert.Contains($"holds {bombBytes} bytes; the manifest declares {new FileInfo(PackageTestBed.ModelSource).Length}", error.Message, StringComparison.Ordinal);
        Assert.True(counting.BytesRead < 1024 * 1024, $"Read {counting.BytesRead} bytes of a {bombBytes}-byte bomb before refusing it.");
    }

    [Fact]
    public async Task OpenAsync_EntryLargerThanDeclared_LeavesNothingBehind()
    {
        var package = _bed.Rewrite(await _bed.PackAsync(), entries =>
        {
            entries[2] = entries[2] with { Data = [.. entries[2].Data, .. new byte[4096]] };
            return entries;
        });

        await AssertRefusedAsync(package, PackageFailureKind.SizeLimitExceeded);
    }

    [Fact]
    public async Task OpenAsync_EntrySmallerThanDeclared_ThrowsSizeMismatch()
    {
        var package = _bed.Rewrite(await _bed.PackAsync(), entries =>
        {
            entries[2] = entries[2] with { Data = entries[2].Data[..^10] };
            return entries;
        });

        await AssertRefusedAsync(package, PackageFailureKind.SizeMismatch);
    }

    [Fact]
    public async Task OpenAsync_PackageOverGlobalLimit_ThrowsSizeLimitExceeded()
    {
        var package = await _bed.PackAsync();

        var error = await Assert.ThrowsAsync<PackageVerificationException>(() => ModelPackage.OpenAsync(package, _bed.Trust, _bed.Options(maxBytes: 1000)));

        Assert.Equal(PackageFailureKind.SizeLimitExceeded, error.Kind);
        Assert.Contains("the limit is 1000 bytes", error.Message, StringComparison.Ordinal);
        _bed.AssertNothingLeftBehind();
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.0005)]
    public async Task OpenAsync_TruncatedArchive_ThrowsTruncatedOrCorrupt(double keptFraction)
    {
        var package = await _bed.PackAsync();
        var bytes = await File.ReadAllBytesAsync(package);
        var truncated = Path.Combine(_bed.Root, "truncated.edgepkg");
        await File.WriteAllBytesAsync(truncated, bytes[..(int)(bytes.Length * keptFraction)]);

        var error = await Assert.ThrowsAsync<PackageVerificationException>(() => ModelPackage.OpenAsync(truncated, _bed.Trust, _bed.Options()));

        Assert.True(error.Kind is PackageFailureKind.TruncatedArchive or PackageFailureKind.CorruptArchive or PackageFailureKind.MissingManifest,
            $"Unexpected {error.Kind}: {error.Message}");
        _bed.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task OpenAsync_TruncatedInsideModelData_NamesTheEntry()
    {
        var package = await _bed.PackAsync();
        var bytes = await File.ReadAllBytesAsync(package);
        var truncated = Path.Combine(_bed.Root, "truncated.edgepkg");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length - 4096)]);

        var error = await Assert.ThrowsAsync<PackageVerificationException>(() => ModelPackage.OpenAsync(truncated, _bed.Trust, _bed.Options()));

        Assert.Equal(PackageFailureKind.TruncatedArchive, error.Kind);
        Assert.Equal("model/mnist.onnx", error.EntryPath);
        _bed.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task OpenAsync_NotATarFile_ThrowsCorruptArchive()
    {
        var garbage = Path.Combine(_bed.Root, "garbage.edgepkg");
        await File.WriteAllBytesAsync(garbage, Encoding.UTF8.GetBytes(new string('x', 4096)));

        await AssertRefusedAsync(garbage, PackageFailureKind.CorruptArchive);
    }

    private async Task<PackageVerificationException> AssertRefusedAsync(string package, PackageFailureKind kind)
    {
        var error = await Assert.ThrowsAsync<PackageVerificationException>(() => ModelPackage.OpenAsync(package, _bed.Trust, _bed.Options()));
        Assert.True(kind == error.Kind, $"Expected {kind}, got {error.Kind}: {error.Message}");
        _bed.AssertNothingLeftBehind();
        return error;
    }
}
