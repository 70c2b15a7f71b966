using System.Formats.Tar;
using System.Text;
using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.TestUtilities.Packaging;

namespace Edge.Fleet.Tests.Cli;

/// <summary>
/// Issue 17, case 3: packages that break the reader rather than fail verification. `deploy` answers each, for a
/// group (verified with the trusted keys) and for one device (described only), with exit 2 and one line naming what
/// was wrong, before it contacts a broker.
/// </summary>
public sealed class HostilePackageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-hostile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in new[] { "group", "device" })
        {
            data.Add(target, "cut-manifest");
            data.Add(target, "8gib-manifest");
            data.Add(target, "pax-bomb");
            data.Add(target, "gnu-bomb");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Deploy_HostilePackage_ExitsTwoWithOneLineNamingTheProblem(string target, string kind)
    {
        var (package, expected) = await WriteAsync(kind);
        await RunAsync("groups", "add", "lobby", "--devices", "d1");

        // Port 1 has no broker: the package must be refused before any connection is tried.
        string[] to = target == "group" ? ["--group", "lobby", "--allow-unsigned"] : ["--device", "d1"];
        var (code, output, error) = await RunAsync(["deploy", package, .. to, "--port", "1", "--connect-retry", "0"]);

        Assert.True(code == ExitCodes.BadInput, $"exit {code}: {error}");
        // Without --trust, --device says once that only the device will check the signature (docs/ota.md).
        var all = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var lines = all.Where(l => !l.StartsWith("edge-fleet: warning: ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(target == "group" ? 0 : 1, all.Length - lines.Length);
        Assert.True(lines.Length == 1, $"expected one line, got {lines.Length}: {error}");
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.Empty(output);
    }

    private async Task<(string Path, string Expected)> WriteAsync(string kind)
    {
        var path = Path.Combine(_directory, kind + ".edgepkg");
        switch (kind)
        {
            case "cut-manifest":
                await using (var file = File.Create(path))
                await using (var tar = new TarWriter(file, TarEntryFormat.Pax))
                {
                    var entry = new PaxTarEntry(TarEntryType.RegularFile, "manifest.json")
                    {
                        DataStream = new MemoryStream(Encoding.UTF8.GetBytes("{\"schema\":\"edge.package/1\",\"name\":\"mni")),
                    };
                    await tar.WriteEntryAsync(entry);
                }

                return (path, "manifest.json");
            case "8gib-manifest":
                await File.WriteAllBytesAsync(path, HostileTar.RegularEntryClaiming("manifest.json", 8L << 30, Encoding.UTF8.GetBytes("{}")));
                return (path, "8589934592 bytes");
            case "pax-bomb":
                await File.WriteAllBytesAsync(path, HostileTar.PaxHeaderBomb());
                return (path, $"pax extended header ('x') at byte 0 claims {HostileTar.HugeHeaderBytes} bytes");
            default:
                await File.WriteAllBytesAsync(path, HostileTar.GnuLongNameBomb());
                return (path, $"GNU long name ('L') at byte 0 claims {HostileTar.HugeHeaderBytes} bytes");
        }
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await EdgeFleetCli.RunAsync([.. args, "--state", Path.Combine(_directory, "state.db"), "--fleet", "f1"], output, error);
        return (code, output.ToString(), error.ToString());
    }
}
