using Edge.Optimizer.Data;

namespace Edge.Optimizer.Tests.Data;

public class DatasetSpecTests
{
    [Theory]
    [InlineData("mnist:../shared/datasets/mnist@6000:10000", "Mnist", "../shared/datasets/mnist", 6000, 10000)]
    [InlineData("images:/data/photos", "Images", "/data/photos", null, null)]
    [InlineData("npy:calib.npz@:100", "Npy", "calib.npz", null, 100)]
    [InlineData("testdata:models/x@2:", "TestData", "models/x", 2, null)]
    public void Parse_ValidText_ReturnsKindPathAndRange(string text, string kind, string path, int? from, int? to)
    {
        var spec = DatasetSpec.Parse(text);

        Assert.Equal(new DatasetSpec(Enum.Parse<DatasetKind>(kind), path, from, to), spec);
        Assert.Equal(text, spec.ToString());
    }

    [Theory]
    [InlineData("csv:data.csv", "no known kind")]
    [InlineData("mnist:", "has no path")]
    [InlineData("mnist:dir@5", "@<from>:<to>")]
    [InlineData("mnist:dir@a:5", "'from' bound 'a'")]
    [InlineData("mnist:dir@9:5", "ends (5) before it starts (9)")]
    public void Parse_InvalidText_ThrowsFormatExceptionNamingTheProblem(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => DatasetSpec.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_RangeBeyondCount_ClampsEnd()
    {
        Assert.Equal((5, 5), new DatasetSpec(DatasetKind.Npy, "x", 5, 100).Resolve(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DatasetSpec(DatasetKind.Npy, "x", 11, null).Resolve(10));
    }
}
