using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Edge.Optimizer.Packaging;
using Edge.Packaging;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Packaging;

/// <summary>The passport written by pack and added to a signed package afterwards (what auto does after measuring on a device).</summary>
public sealed class ModelPackagerPassportTests
{
    private static readonly PackageHardwareClass Pi5 = new()
    {
        Board = "Raspberry Pi 5 Model B Rev 1.0",
        CpuModel = "Cortex-A76",
        Architecture = "arm64",
        IsaFlags = ["asimddp", "fphp"],
        OnnxRuntimeVersion = "1.22.0",
        ExecutionProvider = "cpu",
    };

    private static PackagePassport Passport(double p50 = 2.0, double baselineP50 = 4.0) => new()
    {
        Entries =
        [
            new PackagePassportEntry
            {
                Hardware = Pi5,
                Source = "device:pi-07",
                MeasuredUtc = new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero),
                P50Ms = p50,
                P95Ms = p50 * 2,
                Baseline = new PackageReference { Name = "mnist", Version = "0.9.0" },
                BaselineP50Ms = baselineP50,
                BaselineP95Ms = baselineP50 * 2,
                LatencyRatio = p50 / baselineP50,
            },
        ],
    };

    [Fact]
    public async Task AddPassportAsync_SignedPackage_KeepsEveryFileAndVerifiesWithThePassport()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        var original = await workspace.PackAsync(TestData.File("models/mnist/mnist.onnx"), "mnist");
        using var key = await LoadKeyAsync(workspace.PrivateKey);
        var trust = await PackageTrust.FromPemFilesAsync([workspace.PublicKey]);
        var before = (await ModelPackage.VerifyAsync(original, trust, new PackageOpenOptions { SkipTargetCheck = true })).Manifest;
        var output = workspace.PathOf("mnist-passport.edgepkg");

        await ModelPackager.AddPassportAsync(original, Passport(), key, output, CancellationToken.None);

        var after = (await ModelPackage.VerifyAsync(output, trust, new PackageOpenOptions { SkipTargetCheck = true })).Manifest;
        Assert.Null(before.Passport);
        Assert.Equal(0.5, Assert.Single(after.Passport!.Entries).LatencyRatio);
        Assert.Equal(Pi5.Key, after.Passport.Entries[0].Hardware.Key);
        Assert.Equal(before.Files.Select(f => (f.Path, f.Role, f.Sha256, f.Size)), after.Files.Select(f => (f.Path, f.Role, f.Sha256, f.Size)));
        Assert.Equal((before.Name, before.Version, before.CreatedUtc), (after.Name, after.Version, after.CreatedUtc));
    }

    [Fact]
    public async Task AddPassportAsync_OutputIsTheInput_ReplacesThePassport()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        var package = await workspace.PackAsync(TestData.File("models/mnist/mnist.onnx"), "mnist");
        using var key = await LoadKeyAsync(workspace.PrivateKey);

        await ModelPackager.AddPassportAsync(package, Passport(p50: 2), key, package, CancellationToken.None);
        await ModelPackager.AddPassportAsync(package, Passport(p50: 6), key, package, CancellationToken.None);

        var manifest = (await ModelPackage.VerifyAsync(package, await PackageTrust.FromPemFilesAsync([workspace.PublicKey]), new PackageOpenOptions { SkipTargetCheck = true })).Manifest;
        Assert.Equal(6, Assert.Single(manifest.Passport!.Entries).P50Ms);
    }

    [Fact]
    public async Task AddPassportAsync_PackageSignedByAnotherKey_IsRefusedAndWritesNothing()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        var package = await workspace.PackAsync(TestData.File("models/mnist/mnist.onnx"), "mnist");
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var output = workspace.PathOf("laundered.edgepkg");

        var error = await Assert.ThrowsAsync<PackageVerificationException>(() => ModelPackager.AddPassportAsync(package, Passport(), otherKey, output, CancellationToken.None));

        Assert.Equal(PackageFailureKind.UntrustedSigner, error.Kind);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Pack_PassportFile_IsSignedIntoTheManifest()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        var passportFile = workspace.PathOf("passport.json");
        await File.WriteAllTextAsync(passportFile, """
            { "entries": [ { "hardware": { "board": "Raspberry Pi 5 Model B Rev 1.0", "cpuModel": "Cortex-A76", "architecture": "arm64",
              "isaFlags": ["asimddp", "fphp"], "onnxRuntimeVersion": "1.22.0", "executionProvider": "cpu" },
              "source": "local", "measuredUtc": "2026-12-02T08:00:00+00:00", "p50Ms": 3, "p95Ms": 4,
              "baseline": { "name": "mnist", "version": "0.9.0" }, "baselineP50Ms": 4, "baselineP95Ms": 5, "latencyRatio": 0.75 } ] }
            """);

        var package = await workspace.PackAsync(TestData.File("models/mnist/mnist.onnx"), "mnist", "--passport", passportFile);

        var manifest = (await ModelPackage.VerifyAsync(package, await PackageTrust.FromPemFilesAsync([workspace.PublicKey]), new PackageOpenOptions { SkipTargetCheck = true })).Manifest;
        var entry = Assert.Single(manifest.Passport!.Entries);
        Assert.Equal((Pi5.Key, "local", 0.75), (entry.Hardware.Key, entry.Source, entry.LatencyRatio));
    }

    [Fact]
    public async Task Pack_PassportWithInconsistentRatio_ExitsTwoNamingTheField()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        var passportFile = workspace.PathOf("passport.json");
        var json = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(Passport(), JsonSerializerOptions.Web))
            .Replace("\"latencyRatio\":0.5", "\"latencyRatio\":0.9", StringComparison.Ordinal);
        Assert.Contains("\"latencyRatio\":0.9", json, StringComparison.Ordinal);
        await File.WriteAllTextAsync(passportFile, json);
        var output = workspace.PathOf("bad.edgepkg");

        var (code, _, error) = await workspace.RunAsync("pack", TestData.File("models/mnist/mnist.onnx"), "--name", "mnist", "--version", "1.0.0", "--target", "linux-x64",
            "--key", workspace.PrivateKey, "-o", output, "--passport", passportFile);

        Assert.Equal(2, code);
        Assert.Contains("passport.entries[0].latencyRatio is 0.9, but p50Ms / baselineP50Ms is 0.5", error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    private static async Task<ECDsa> LoadKeyAsync(string path)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(path));
        return key;
    }
}
