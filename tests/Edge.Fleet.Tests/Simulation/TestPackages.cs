using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Edge.Packaging;
using Edge.TestUtilities;

namespace Edge.Fleet.Tests.Simulation;

/// <summary>Signed mnist packages of given versions in a temp folder, with the public key file to trust them.</summary>
internal sealed class TestPackages : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestPackages()
    {
        Root = Directory.CreateTempSubdirectory("edge-fleet-pkg-").FullName;
        PublicKeyPath = Path.Combine(Root, "publisher.pem");
        File.WriteAllText(PublicKeyPath, _key.ExportSubjectPublicKeyInfoPem());
    }

    public string Root { get; }

    public string PublicKeyPath { get; }

    /// <param name="passport">Written into the signed manifest; null for a package without one.</param>
    /// <param name="fileName">Default <c>mnist-{version}.edgepkg</c>.</param>
    public async Task<string> BuildAsync(string version, PackagePassport? passport = null, string? fileName = null)
    {
        var path = Path.Combine(Root, fileName ?? $"mnist-{version}.edgepkg");
        var sources = new List<PackageSourceFile> { new("model/mnist.onnx", TestData.File("models/mnist/mnist.onnx"), PackageFileRole.Model) };
        await PackageWriter.WriteAsync(path, files => new PackageManifest
        {
            FormatVersion = PackageManifest.CurrentFormatVersion,
            Name = "mnist",
            Version = version,
            CreatedUtc = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero),
            Tool = new PackageTool { Name = "edge-fleet-tests", Version = "0.1.0" },
            Target = new PackageTarget { Architectures = [RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()], ExecutionProviders = ["cpu"], MinimumSdkVersion = "0.1.0" },
            Files = files,
            Inputs = [new PackageTensorSignature { Name = "Input3", ElementType = "float32", Shape = [PackageDimension.Fixed(1), PackageDimension.Fixed(1), PackageDimension.Fixed(28), PackageDimension.Fixed(28)] }],
            Outputs = [new PackageTensorSignature { Name = "Plus214_Output_0", ElementType = "float32", Shape = [PackageDimension.Fixed(1), PackageDimension.Fixed(10)] }],
            Passport = passport,
        }, sources, [_key], CancellationToken.None);
        return path;
    }

    public void Dispose()
    {
        _key.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
