using System.Security.Cryptography;
using System.Text;

namespace Edge.Packaging.Tests;

/// <summary>Packages altered after signing, signed by the wrong key, or not fit for the device: each is refused and leaves nothing behind.</summary>
public sealed class ModelPackageTamperTests : IDisposable
{
    private readonly PackageTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task OpenAsync_OneFlippedByteInModel_ThrowsHashMismatchNamingFileAndBothHashes()
    {
        var package = _bed.Rewrite(await _bed.PackAsync(), entries =>
        {
            var model = entries.Single(e => e.Name == "model/mnist.onnx");
            model.Data[model.Data.Length / 2] ^= 0x01;
            return entries;
        });
        var modelBytes = PackageTestBed.ReadEntries(package).Single(e => e.Name == "model/mnist.onnx").Data;
        var expected = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(PackageTestBed.ModelSource)));
        var actual = Convert.ToHexStringLower(SHA256.HashData(modelBytes));

        var error = await AssertRefusedAsync(package, PackageFailureKind.HashMismatch);

        Assert.Equal("model/mnist.onnx", error.EntryPath);
        Assert.Contains("model/mnist.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(actual, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_ManifestEditedAfterSigning_ThrowsSignatureInvalid()
    {
        var package = _bed.Rewrite(await _bed.PackAsync(), entries =>
        {
            var manifest = entries[0];
            var edited = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(manifest.Data).Replace("\"1.0.0\"", "\"1.0.1\"", StringComparison.Ordinal));
            Assert.NotEqual(manifest.Data, edited);
            entries[0] = manifest with { Data = edited };
            return entries;
        });

        var error = await AssertRefusedAsync(package, PackageFailureKind.SignatureInvalid);

        Assert.Contains("altered after signing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_SignatureBytesCorrupted_ThrowsSignatureInvalid()
    {
        var package = _bed.Rewrite(await _bed.PackAsync(), entries =>
        {
            var text = Encoding.UTF8.GetString(entries[1].Data);
            var start = text.IndexOf("\"value\": \"", StringComparison.Ordinal) + 10;
            var flipped = text[start] == 'A' ? 'B' : 'A';
            entries[1] = entries[1] with { Data = Encoding.UTF8.GetBytes(text[..start] + flipped + text[(start + 1)..]) };
            return entries;
        });

        await AssertRefusedAsync(package, PackageFailureKind.SignatureInvalid);
    }

    [Fact]
    public async Task OpenAsync_SignedWithAnotherKey_ThrowsUntrustedSignerNamingBothKeys()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var package = await _bed.PackAsync(keys: [other]);

        var error = await AssertRefusedAsync(package, PackageFailureKind.UntrustedSigner);

        Assert.Contains(PackageKeyId.Compute(other), error.Message, StringComparison.Ordinal);
        Assert.Contains(_bed.Trust.KeyIds.Single(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_ManifestFailingSchemaChecks_ListsEveryErrorInOneMessage()
    {
        var package = await _bed.PackWithManifestAsync(m => new PackageManifest
        {
            FormatVersion = m.FormatVersion,
            Name = "Bad Name",
            Version = "1.0",
            CreatedUtc = m.CreatedUtc,
            Tool = m.Tool,
            Target = new PackageTarget { Architectures = ["sparc"], ExecutionProviders = ["cpu"], MinimumSdkVersion = "0.1.0" },
            Files = m.Files,
            Inputs = [new PackageTensorSignature { Name = "Input3", ElementType = "float33", Shape = m.Inputs[0].Shape }],
            Outputs = [],
        });

        var error = await AssertRefusedAsync(package, PackageFailureKind.InvalidManifest);

        Assert.Contains("5 schema check(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("name 'Bad Name'", error.Message, StringComparison.Ordinal);
        Assert.Contains("version '1.0' is not a Semantic Versioning", error.Message, StringComparison.Ordinal);
        Assert.Contains("unknown 'sparc'", error.Message, StringComparison.Ordinal);
        Assert.Contains("elementType 'float33'", error.Message, StringComparison.Ordinal);
        Assert.Contains("outputs must list at least one tensor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_ManifestNotJson_ThrowsInvalidManifest()
    {
        var bytes = "{ \"formatVersion\": 1, "u8.ToArray();
        var package = _bed.Rewrite(await _bed.PackAsync(), entries => [new RawEntry("manifest.json", bytes), new RawEntry("manifest.sig", _bed.Sign(bytes)), entries[2]]);

        await AssertRefusedAsync(package, PackageFailureKind.InvalidManifest);
    }

    [Fact]
    public async Task OpenAsync_NewerFormatVersion_ThrowsUnsupportedFormatVersion()
    {
        var bytes = "{ \"formatVersion\": 2 }"u8.ToArray();
        var package = _bed.Rewrite(await _bed.PackAsync(), entries => [new RawEntry("manifest.json", bytes), new RawEntry("manifest.sig", _bed.Sign(bytes)), entries[2]]);

        var error = await AssertRefusedAsync(package, PackageFailureKind.UnsupportedFormatVersion);

        Assert.Contains("formatVersion 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "CPUExecutionProvider", "0.1.0", "architecture")]
    [InlineData(false, "CUDAExecutionProvider", "0.1.0", "execution providers")]
    [InlineData(false, "CPUExecutionProvider", "0.0.9", "SDK version")]
    public async Task OpenAsync_TargetMismatch_ThrowsNamingTheMismatch(bool otherArchitecture, string provider, string sdkVersion, string expected)
    {
        var current = PackageTestBed.MatchingDevice.Architecture;
        var architecture = otherArchitecture ? (current == "arm64" ? "x64" : "arm64") : current;
        var device = new PackageDeviceDescription(architecture, [provider], sdkVersion);

        var error = await AssertRefusedAsync(await _bed.PackAsync(), PackageFailureKind.TargetMismatch, device);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_DeviceDescriptionOverridden_OpensForeignTarget()
    {
        var package = await _bed.PackWithManifestAsync(m => new PackageManifest
        {
            FormatVersion = m.FormatVersion, Name = m.Name, Version = m.Version, CreatedUtc = m.CreatedUtc, Tool = m.Tool,
            Target = new PackageTarget { Architectures = ["riscv64"], ExecutionProviders = ["tensorrt"], MinimumSdkVersion = "0.1.0" },
            Files = m.Files, Inputs = m.Inputs, Outputs = m.Outputs,
        });

        using var opened = await ModelPackage.OpenAsync(package, _bed.Trust, _bed.Options(new PackageDeviceDescription("RiscV64", ["TensorrtExecutionProvider"], "0.2.0")));

        Assert.Equal(["riscv64"], opened.Manifest.Target.Architectures);
    }

    [Fact]
    public async Task VerifyAsync_SkipTargetCheckWithoutDevice_AcceptsForeignTarget()
    {
        var package = await _bed.PackWithManifestAsync(m => new PackageManifest
        {
            FormatVersion = m.FormatVersion, Name = m.Name, Version = m.Version, CreatedUtc = m.CreatedUtc, Tool = m.Tool,
            Target = new PackageTarget { Architectures = ["riscv64"], ExecutionProviders = ["tensorrt"], MinimumSdkVersion = "0.1.0" },
            Files = m.Files, Inputs = m.Inputs, Outputs = m.Outputs,
        });

        var result = await ModelPackage.VerifyAsync(package, _bed.Trust, new PackageOpenOptions { SkipTargetCheck = true });

        Assert.Equal(["riscv64"], result.Manifest.Target.Architectures);
    }

    [Fact]
    public async Task OpenAsync_NoDeviceWhileTargetChecked_ThrowsArgumentExceptionAndLeavesNothing()
    {
        var package = await _bed.PackAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ModelPackage.OpenAsync(package, _bed.Trust, new PackageOpenOptions { ExtractionDirectory = _bed.ExtractionDirectory }));

        Assert.Contains("Device is null", error.Message, StringComparison.Ordinal);
        Assert.Contains("SkipTargetCheck", error.Message, StringComparison.Ordinal);
        _bed.AssertNothingLeftBehind();
    }

    private async Task<PackageVerificationException> AssertRefusedAsync(string package, PackageFailureKind kind, PackageDeviceDescription? device = null)
    {
        var error = await Assert.ThrowsAsync<PackageVerificationException>(() => ModelPackage.OpenAsync(package, _bed.Trust, _bed.Options(device)));
        Assert.True(kind == error.Kind, $"Expected {kind}, got {error.Kind}: {error.Message}");
        _bed.AssertNothingLeftBehind();
        return error;
    }
}
