using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.TestUtilities.Security;

namespace Edge.Fleet.Tests.Cli;

/// <summary><c>edge-fleet cert check</c> on real certificates issued by a test CA: fleet-only and malformed CNs are refused.</summary>
public sealed class CertCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-cert-").FullName;
    private readonly TestCertificates _pki = new("Edge Test Fleet CA");

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task CertCheck_FleetAndDeviceCn_ExitsZeroAndPrintsTheAclLines()
    {
        var (certificate, _) = _pki.Issue("f1/d7", server: false, _directory, "d7");

        var (code, output, error) = await RunAsync("cert", "check", certificate, "--acl");

        Assert.True(code == ExitCodes.Success, error);
        Assert.Equal(["ok: fleet f1, device d7", "user f1/d7", "topic read edge-groups/f1/+/ota/job"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Theory]
    [InlineData("f1", "has no device part")]
    [InlineData("f1/d7/extra", "is not '{fleet}/{device}'")]
    [InlineData("f1/", "is not '{fleet}/{device}'")]
    [InlineData("f1/d+", "is not '{fleet}/{device}'")]
    public async Task CertCheck_CnWithoutAUsableDevicePart_ExitsTwoWithOneLine(string commonName, string expected)
    {
        var (certificate, _) = _pki.Issue(commonName, server: false, _directory, "bad");

        var (code, output, error) = await RunAsync("cert", "check", certificate);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Contains($"CN '{commonName}' {expected}", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task CertCheck_DeviceOfAnotherFleet_ExitsTwo()
    {
        var (certificate, _) = _pki.Issue("f2/d7", server: false, _directory, "d7");

        var (code, _, error) = await RunAsync("cert", "check", certificate, "--fleet", "f1");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("belongs to fleet 'f2', not to --fleet 'f1'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertCheck_NotACertificate_ExitsTwo()
    {
        var path = Path.Combine(_directory, "junk.crt");
        await File.WriteAllTextAsync(path, "not a certificate");

        var (code, _, error) = await RunAsync("cert", "check", path);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("is not a readable X.509 certificate", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await EdgeFleetCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
