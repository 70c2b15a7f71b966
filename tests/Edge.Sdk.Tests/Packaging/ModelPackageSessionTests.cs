using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Edge.Packaging;
using Edge.Sdk.Packaging;
using Edge.Sdk.Processing.Preprocessing;
using Edge.TestUtilities;

namespace Edge.Sdk.Tests.Packaging;

/// <summary>
/// The SDK's additions to a verified package (<see cref="ModelPackageExtensions"/>), on packages written with
/// Edge.Packaging's public writer; the package format itself is tested in Edge.Packaging.Tests.
/// </summary>
public sealed class ModelPackageSessionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("edgepkg-sdk-test-").FullName;
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _key.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task CreateSession_VerifiedPackage_RunsModelNamedAfterManifest()
    {
        using var package = await OpenAsync(preprocess: null);

        using var session = package.CreateSession();
        var input = new float[28 * 28];
        var output = new float[10];
        session.Run<float, float>(input, output);

        Assert.Equal("mnist", session.ModelName);
        Assert.Equal("1.0.0", session.ModelVersion);
        Assert.Contains(output, v => v != 0f);
    }

    [Fact]
    public async Task CreateSession_SpecThatDoesNotFitModel_ThrowsAtLoadNamingBothShapes()
    {
        var spec = new PreprocessSpec { Width = 32, Height = 32, ColorOrder = ColorOrder.Grayscale };
        using var package = await OpenAsync(spec);

        Assert.Equal(spec, package.GetPreprocessSpec());
        var error = Assert.Throws<PreprocessSpecException>(() => package.CreateSession());

        Assert.Contains("1x1x32x32", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Input3' expects 1x1x28x28", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSession_SpecThatFits_ReturnsSession()
    {
        var spec = new PreprocessSpec { Width = 28, Height = 28, ColorOrder = ColorOrder.Grayscale };
        using var package = await OpenAsync(spec);

        using var session = package.CreateSession();

        Assert.Equal("Input3", session.Inputs[0].Name);
    }

    [Fact]
    public async Task GetPreprocessSpec_PackageWithoutSpec_ReturnsNull()
    {
        using var package = await OpenAsync(preprocess: null);

        Assert.Null(package.GetPreprocessSpec());
    }

    [Fact]
    public void Current_ThisProcess_ListsCpuProviderAndThisArchitecture()
    {
        var current = PackageDeviceDescription.Current;

        Assert.Equal(RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(), current.Architecture);
        Assert.Contains("cpu", current.ExecutionProviders);
        Assert.Equal(PackageDeviceDescription.CurrentSdkVersion, current.SdkVersion);
    }

    private async Task<ModelPackage> OpenAsync(PreprocessSpec? preprocess)
    {
        var path = Path.Combine(_root, Guid.NewGuid().ToString("N") + ".edgepkg");
        using var document = preprocess is null ? null : JsonDocument.Parse(preprocess.ToJson());
        var model = TestData.File("models/mnist/mnist.onnx");
        await PackageWriter.WriteAsync(path, files => Manifest(files, document?.RootElement.Clone()), [new PackageSourceFile("model/mnist.onnx", model, PackageFileRole.Model)], [_key], CancellationToken.None);
        var trust = PackageTrust.FromPem(_key.ExportSubjectPublicKeyInfoPem());
        return await ModelPackage.OpenAsync(path, trust, new PackageOpenOptions { Device = PackageDeviceDescription.Current });
    }

    private static PackageManifest Manifest(IReadOnlyList<PackageFile> files, JsonElement? preprocess) => new()
    {
        FormatVersion = PackageManifest.CurrentFormatVersion,
        Name = "mnist",
        Version = "1.0.0",
        CreatedUtc = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero),
        Tool = new PackageTool { Name = "edge-sdk-tests", Version = "0.1.0" },
        Target = new PackageTarget
        {
            Architectures = [RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()],
            ExecutionProviders = ["cpu"],
            MinimumSdkVersion = "0.1.0",
        },
        Files = files,
        Inputs = [new PackageTensorSignature { Name = "Input3", ElementType = "float32", Shape = [PackageDimension.Fixed(1), PackageDimension.Fixed(1), PackageDimension.Fixed(28), PackageDimension.Fixed(28)] }],
        Outputs = [new PackageTensorSignature { Name = "Plus214_Output_0", ElementType = "float32", Shape = [PackageDimension.Fixed(1), PackageDimension.Fixed(10)] }],
        Preprocess = preprocess,
    };
}
