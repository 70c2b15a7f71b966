using System.Text;

namespace Edge.Packaging.Tests;

public sealed class PackageManifestSerializerTests
{
    private static readonly PackageFile Model = new() { Path = "model/m.onnx", Role = PackageFileRole.Model, Sha256 = new string('a', 64), Size = 10 };

    [Fact]
    public void Serialize_SameManifest_ProducesIdenticalBytesThatParseBack()
    {
        var manifest = PackageTestBed.Manifest([Model]);

        var first = PackageManifestSerializer.Serialize(manifest);
        var second = PackageManifestSerializer.Serialize(PackageManifestSerializer.Parse(first));

        Assert.Equal(first, second);
        Assert.DoesNotContain("\r", Encoding.UTF8.GetString(first), StringComparison.Ordinal);
        Assert.NotEqual(0xEF, first[0]);
    }

    [Fact]
    public void Parse_SymbolicDimensions_KeepsNames()
    {
        var json = Encoding.UTF8.GetString(PackageManifestSerializer.Serialize(PackageTestBed.Manifest([Model])))
            .Replace("\"shape\": [\n        1,", "\"shape\": [\n        \"N\",", StringComparison.Ordinal);

        var manifest = PackageManifestSerializer.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal("N", manifest.Inputs[0].Shape[0].Symbol);
        Assert.Null(manifest.Inputs[0].Shape[0].Size);
    }

    [Fact]
    public void Parse_BadFileEntries_ListsEachError()
    {
        var manifest = PackageTestBed.Manifest(
        [
            new PackageFile { Path = "golden/x.pb", Role = PackageFileRole.Golden, Sha256 = "XYZ", Size = -1 },
            new PackageFile { Path = "manifest.json", Role = PackageFileRole.Golden, Sha256 = new string('b', 64), Size = 1 },
        ]);

        var error = Assert.Throws<PackageVerificationException>(() => PackageManifestSerializer.Parse(PackageManifestSerializer.Serialize(manifest)));

        Assert.Equal(PackageFailureKind.InvalidManifest, error.Kind);
        Assert.Contains("sha256 'XYZ'", error.Message, StringComparison.Ordinal);
        Assert.Contains("size -1", error.Message, StringComparison.Ordinal);
        Assert.Contains("'manifest.json' is reserved", error.Message, StringComparison.Ordinal);
        Assert.Contains("exactly one file with role 'model', found 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MetricsWithNestedObject_IsRejected()
    {
        var json = Encoding.UTF8.GetString(PackageManifestSerializer.Serialize(PackageTestBed.Manifest([Model])))
            .Replace("\"labels\":", "\"metrics\": { \"top1\": 0.9, \"nested\": { \"a\": 1 } },\n  \"labels\":", StringComparison.Ordinal);

        var error = Assert.Throws<PackageVerificationException>(() => PackageManifestSerializer.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains("metrics.nested is Object, expected a number or string", error.Message, StringComparison.Ordinal);
    }
}
