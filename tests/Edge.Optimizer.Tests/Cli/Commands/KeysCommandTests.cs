using System.Security.Cryptography;
using Edge.Optimizer.Cli;
using Edge.Optimizer.Tests.Packaging;
using Edge.Packaging;

namespace Edge.Optimizer.Tests.Cli.Commands;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Key files get Unix modes; Windows uses ACLs.
public sealed class KeysCommandTests
{
    [Fact]
    public async Task New_OutputFolder_WritesUsablePemPairWithPrivateMode0600()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(workspace.PrivateKey));
        var privatePem = await File.ReadAllTextAsync(workspace.PrivateKey);
        var publicPem = await File.ReadAllTextAsync(workspace.PublicKey);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", privatePem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", publicPem, StringComparison.Ordinal);
        using var signer = ECDsa.Create();
        signer.ImportFromPem(privatePem);
        using var verifier = ECDsa.Create();
        verifier.ImportFromPem(publicPem);
        var signature = signer.SignData("payload"u8, HashAlgorithmName.SHA256);
        Assert.True(verifier.VerifyData("payload"u8, signature, HashAlgorithmName.SHA256));
        Assert.Equal(PackageKeyId.Compute(verifier), PackageTrust.FromPem(publicPem).KeyIds.Single());
    }

    [Fact]
    public async Task New_PrivateAndPublicPaths_WritesThereAndPrintsKeyId()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        var privatePath = workspace.PathOf("a/private.pem");
        var publicPath = workspace.PathOf("b/public.pem");

        var (code, output, _) = await workspace.RunAsync("keys", "new", "--private", privatePath, "--public", publicPath);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(privatePath));
        Assert.Contains(PackageTrust.FromPem(await File.ReadAllTextAsync(publicPath)).KeyIds.Single(), output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_ExistingKeyFiles_RefusesWithExit2AndKeepsThem()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        var before = await File.ReadAllTextAsync(workspace.PrivateKey);

        var (code, _, error) = await workspace.RunAsync("keys", "new", "-o", Path.GetDirectoryName(workspace.PrivateKey)!);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("Refusing to overwrite", error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(workspace.PrivateKey));
    }

    [Fact]
    public async Task New_OutputAndPrivateTogether_Exit2()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();

        var (code, _, error) = await workspace.RunAsync("keys", "new", "-o", workspace.PathOf("x"), "--private", workspace.PathOf("p.pem"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("either --output or --private/--public", error, StringComparison.Ordinal);
    }
}
