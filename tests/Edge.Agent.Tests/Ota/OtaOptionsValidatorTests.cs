using Edge.Agent.Hosting;
using Edge.Agent.Ota;

namespace Edge.Agent.Tests.Ota;

public sealed class OtaOptionsValidatorTests
{
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

    private static EdgeAgentOptions Options(Action<OtaOptions> change)
    {
        var options = new EdgeAgentOptions();
        options.Ota.Enabled = true;
        options.Ota.DataDirectory = "/var/lib/edge-agent/ota";
        options.Ota.TrustedKeyFiles = ["/etc/edge/release.pub.pem"];
        change(options.Ota);
        return options;
    }
}
