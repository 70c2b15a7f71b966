using Edge.Optimizer.Cli;

namespace Edge.Optimizer.Tests.Packaging;

/// <summary>A temporary folder with a key pair made by <c>keys new</c>, and a way to run the CLI and capture its output.</summary>
internal sealed class PackagingWorkspace : IDisposable
{
    private PackagingWorkspace(string root)
    {
        Root = root;
    }

    public string Root { get; }

    public string PrivateKey => Path.Combine(Root, "keys", "edge-signing.key.pem");

    public string PublicKey => Path.Combine(Root, "keys", "edge-signing.pub.pem");

    public static async Task<PackagingWorkspace> CreateAsync()
    {
        var workspace = new PackagingWorkspace(Directory.CreateTempSubdirectory("edgepkg-cli-").FullName);
        var (code, _, error) = await workspace.RunAsync("keys", "new", "-o", Path.Combine(workspace.Root, "keys"));
        Assert.True(code == 0, $"keys new failed with {code}: {error}");
        return workspace;
    }

    public string PathOf(string name) => Path.Combine(Root, name);

#pragma warning disable CA1822 // An instance method so tests read workspace.RunAsync(...) beside the workspace's paths.
    public async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
#pragma warning restore CA1822
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await EdgeOptimizeCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Packs a model with the workspace key and fails the test with the CLI's stderr if that does not succeed.</summary>
    public async Task<string> PackAsync(string model, string name, params string[] extra)
    {
        var package = PathOf(name + ".edgepkg");
        var (code, _, error) = await RunAsync(
            ["pack", model, "--name", name, "--version", "1.0.0", "--target", "linux-x64,linux-arm64", "--key", PrivateKey, "-o", package, .. extra]);
        Assert.True(code == 0, $"pack failed with {code}: {error}");
        return package;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
