using System.Text.Json;
using Edge.Sdk.Packaging;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Sdk.Tests.Packaging;

public sealed class ModelPackageSessionTests : IDisposable
{
    private readonly PackageTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task CreateSession_VerifiedPackage_RunsModelNamedAfterManifest()
    {
        var path = await _bed.PackAsync();
        using var package = await ModelPackage.OpenAsync(path, _bed.Trust, _bed.Options());

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
        var path = await _bed.PackWithManifestAsync(m => WithPreprocess(m, spec));
        using var package = await ModelPackage.OpenAsync(path, _bed.Trust, _bed.Options());

        Assert.Equal(spec, package.GetPreprocessSpec());
        var error = Assert.Throws<PreprocessSpecException>(() => package.CreateSession());

        Assert.Contains("1x1x32x32", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Input3' expects 1x1x28x28", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSession_SpecThatFits_ReturnsSession()
    {
        var spec = new PreprocessSpec { Width = 28, Height = 28, ColorOrder = ColorOrder.Grayscale };
        var path = await _bed.PackWithManifestAsync(m => WithPreprocess(m, spec));
        using var package = await ModelPackage.OpenAsync(path, _bed.Trust, _bed.Options());

        using var session = package.CreateSession();

        Assert.Equal("Input3", session.Inputs[0].Name);
    }

    private static PackageManifest WithPreprocess(PackageManifest manifest, PreprocessSpec spec)
    {
        using var document = JsonDocument.Parse(spec.ToJson());
        return new PackageManifest
        {
            FormatVersion = manifest.FormatVersion,
            Name = manifest.Name,
            Version = manifest.Version,
            CreatedUtc = manifest.CreatedUtc,
            Tool = manifest.Tool,
            Target = manifest.Target,
            Files = manifest.Files,
            Inputs = manifest.Inputs,
            Outputs = manifest.Outputs,
            Labels = manifest.Labels,
            Preprocess = document.RootElement.Clone(),
        };
    }
}
