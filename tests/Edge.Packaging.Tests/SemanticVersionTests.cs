
namespace Edge.Packaging.Tests;

public sealed class SemanticVersionTests
{
    [Theory]
    [InlineData("0.0.0")]
    [InlineData("1.2.3")]
    [InlineData("1.0.0-alpha")]
    [InlineData("1.0.0-alpha.1")]
    [InlineData("1.0.0-0.3.7")]
    [InlineData("1.0.0-x.7.z.92")]
    [InlineData("1.0.0+20130313144700")]
    [InlineData("1.0.0-beta+exp.sha.5114f85")]
    [InlineData("1.0.0+21AF26D3----117B344092BD")]
    public void TryParse_ValidSemVer_Succeeds(string text)
    {
        Assert.True(SemanticVersion.TryParse(text, out var version));
        Assert.Equal(text, version!.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1.0")]
    [InlineData("1.0.0.0")]
    [InlineData("01.0.0")]
    [InlineData("1.0.0-")]
    [InlineData("1.0.0-01")]
    [InlineData("1.0.0-a..b")]
    [InlineData("1.0.0+")]
    [InlineData("v1.0.0")]
    [InlineData("1.0.0-é")]
    [InlineData("-1.0.0")]
    public void TryParse_InvalidSemVer_Fails(string text)
    {
        Assert.False(SemanticVersion.TryParse(text, out _));
    }

    [Fact]
    public void CompareTo_SpecPrecedenceChain_IsAscending()
    {
        string[] ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"];
        var parsed = ordered.Select(t => { Assert.True(SemanticVersion.TryParse(t, out var v)); return v!; }).ToArray();

        for (var i = 1; i < parsed.Length; i++)
        {
            Assert.True(parsed[i - 1].CompareTo(parsed[i]) < 0, $"{ordered[i - 1]} should precede {ordered[i]}");
            Assert.True(parsed[i].CompareTo(parsed[i - 1]) > 0, $"{ordered[i]} should follow {ordered[i - 1]}");
        }
    }

    [Fact]
    public void CompareTo_BuildMetadata_IsIgnored()
    {
        Assert.True(SemanticVersion.TryParse("1.0.0+a", out var left));
        Assert.True(SemanticVersion.TryParse("1.0.0+b", out var right));

        Assert.Equal(0, left!.CompareTo(right));
    }

    [Fact]
    public void Equals_SamePrecedenceDifferentBuildMetadata_AreEqualWithEqualHashes()
    {
        Assert.True(SemanticVersion.TryParse("1.2.3-rc.1+a", out var left));
        Assert.True(SemanticVersion.TryParse("1.2.3-rc.1+b", out var right));

        Assert.Equal(left, right);
        Assert.True(left == right);
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
    }

    [Theory]
    [InlineData("1.0.0-rc.1", "1.0.0")]
    [InlineData("1.0.0", "1.0.1")]
    [InlineData("1.9.0", "1.10.0")]
    public void Operators_OrderedPair_AgreeWithCompareTo(string lower, string higher)
    {
        Assert.True(SemanticVersion.TryParse(lower, out var low));
        Assert.True(SemanticVersion.TryParse(higher, out var high));

        Assert.True(low < high);
        Assert.True(low <= high);
        Assert.True(high > low);
        Assert.True(high >= low);
        Assert.True(low != high);
        Assert.False(low == high);
        Assert.True(null < low);
    }
}
