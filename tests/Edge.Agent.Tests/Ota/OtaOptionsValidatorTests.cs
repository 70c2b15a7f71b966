using Edge.Agent.Hosting;
using Edge.Agent.Ota;

namespace Edge.Agent.Tests.Ota;

public sealed class OtaOptionsValidatorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-ota-options-").FullName;

    [Fact]
    public void Validate_DefaultsWithADataDirectoryAndAKey_Succeed()
    {
        var result = new OtaOptionsValidator().Validate(null, Options(_ => { }));

        Assert.True(result.Succeeded, string.Join("; ", result.Failures ?? []));
        Assert.Equal(2L * 1024 * 1024 * 1024, new OtaOptions().MaxPackageBytes);
    }

    [Fact]
    public void Validate_PackageAndReserveBoundsOutOfRange_ListsBoth()
    {
        var result = new OtaOptionsValidator().Validate(null, Options(o =>
        {
            o.MaxPackageBytes = 0;
            o.DiskReserveBytes = long.MaxValue;
        }));

        Assert.True(result.Failed);
        Assert.Contains("Ota:MaxPackageBytes is 0, expected 1 to 1099511627776.", result.Failures!);
        Assert.Contains($"Ota:DiskReserveBytes is {long.MaxValue}, expected 0 to 1099511627776.", result.Failures!);
    }

    [Fact]
    public void Validate_TrustKeysMissingOrNotPublicKeys_NamesEach()
    {
        var privateKey = Path.Combine(_directory, "private.pem");
        using (var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
        {
            File.WriteAllText(privateKey, key.ExportECPrivateKeyPem());
        }

        var garbage = Path.Combine(_directory, "garbage.pem");
        File.WriteAllText(garbage, "not a key");

        var result = new OtaOptionsValidator().Validate(null, Options(o => o.TrustedKeyFiles = [Path.Combine(_directory, "none.pem"), privateKey, garbage, _directory]));

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("Ota:TrustedKeyFiles:0 ", StringComparison.Ordinal) && f.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Ota:TrustedKeyFiles:1 ", StringComparison.Ordinal) && f.Contains("private key", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Ota:TrustedKeyFiles:2 ", StringComparison.Ordinal) && f.Contains("P-256 public key", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Ota:TrustedKeyFiles:3 ", StringComparison.Ordinal) && f.Contains("is a folder", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private EdgeAgentOptions Options(Action<OtaOptions> change)
    {
        var keyPath = Path.Combine(_directory, "release.pub.pem");
        using (var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
        {
            File.WriteAllText(keyPath, key.ExportSubjectPublicKeyInfoPem());
        }

        var options = new EdgeAgentOptions();
        options.Ota.Enabled = true;
        options.Ota.DataDirectory = "/var/lib/edge-agent/ota";
        options.Ota.TrustedKeyFiles = [keyPath];
        options.Ota.TrustedJobKeyFiles = [keyPath];
        change(options.Ota);
        return options;
    }
}
