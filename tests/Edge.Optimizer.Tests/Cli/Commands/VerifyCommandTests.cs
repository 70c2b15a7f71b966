using System.Formats.Tar;
using System.Text.Json;
using Edge.Optimizer.Cli;
using Edge.Optimizer.Tests.Packaging;
using Edge.TestUtilities;
using Edge.TestUtilities.Packaging;

namespace Edge.Optimizer.Tests.Cli.Commands;

public sealed class VerifyCommandTests
{
    private static string Mnist => TestData.File("models/mnist/mnist.onnx");

    [Fact]
    public async Task Verify_ValidPackage_Exit0WithSummary()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        var package = await workspace.PackAsync(Mnist, "mnist");

        var (code, output, error) = await workspace.RunAsync("verify", package, "--trust", workspace.PublicKey);

        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains("verified mnist 1.0.0: signed by trusted key", output, StringComparison.Ordinal);
        Assert.Contains($"{new FileInfo(Mnist).Length} bytes hashed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_Json_PrintsMachineReadableSummary()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        var package = await workspace.PackAsync(Mnist, "mnist");

        var (code, output, _) = await workspace.RunAsync("verify", package, "--trust", workspace.PublicKey, "--json");

        Assert.Equal(ExitCodes.Success, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("verified", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(new FileInfo(Mnist).Length, json.RootElement.GetProperty("fileBytes").GetInt64());
    }

    [Fact]
    public async Task Verify_FlippedModelByte_Exit2WithOneLineNamingFileAndHashes()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        var package = await workspace.PackAsync(Mnist, "mnist");
        await FlipByteInEntryAsync(package, "model/mnist.onnx");

        var (code, _, error) = await workspace.RunAsync("verify", package, "--trust", workspace.PublicKey);

        Assert.Equal(ExitCodes.BadInput, code);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.Matches("^error: Package file 'model/mnist.onnx' has sha256 [0-9a-f]{64}; the manifest expects [0-9a-f]{64}\\.$", line);
    }

    [Fact]
    public async Task Verify_OtherTrustedKey_Exit2NamingUntrustedSigner()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        using var other = await PackagingWorkspace.CreateAsync();
        var package = await workspace.PackAsync(Mnist, "mnist");

        var (code, _, error) = await workspace.RunAsync("verify", package, "--trust", other.PublicKey);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("but trust holds", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_NoTrust_Exit2()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        var package = await workspace.PackAsync(Mnist, "mnist");

        var (code, _, error) = await workspace.RunAsync("verify", package);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--trust", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_MissingPackage_Exit2()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();

        var (code, _, error) = await workspace.RunAsync("verify", workspace.PathOf("absent.edgepkg"), "--trust", workspace.PublicKey);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("absent.edgepkg", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pax", "pax extended header ('x')")]
    [InlineData("gnu", "GNU long name ('L')")]
    public async Task Verify_TarHeaderClaiming2GiB_Exit2WithOneLineNamingTheHeader(string kind, string named)
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        var package = workspace.PathOf(kind + "-bomb.edgepkg");
        await File.WriteAllBytesAsync(package, kind == "pax" ? HostileTar.PaxHeaderBomb() : HostileTar.GnuLongNameBomb());

        var (code, _, error) = await workspace.RunAsync("verify", package, "--trust", workspace.PublicKey);

        Assert.True(code == ExitCodes.BadInput, $"exit {code}: {error}");
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("error: The package is not a valid tar archive: the " + named, line, StringComparison.Ordinal);
        Assert.Contains($"claims {HostileTar.HugeHeaderBytes} bytes", line, StringComparison.Ordinal);
    }

    private static async Task FlipByteInEntryAsync(string package, string entryName)
    {
        var entries = new List<(string Name, byte[] Data)>();
        await using (var input = File.OpenRead(package))
        await using (var reader = new TarReader(input))
        {
            while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
            {
                using var data = new MemoryStream();
                await entry.DataStream!.CopyToAsync(data);
                entries.Add((entry.Name, data.ToArray()));
            }
        }

        var target = entries.Single(e => e.Name == entryName).Data;
        target[target.Length / 3] ^= 0x80;
        await using var output = File.Create(package);
        await using var writer = new TarWriter(output, TarEntryFormat.Pax);
        foreach (var (name, data) in entries)
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        }
    }
}
