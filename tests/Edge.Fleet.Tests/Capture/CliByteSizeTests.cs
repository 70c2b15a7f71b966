using Edge.CommandLine;
using Edge.Fleet.Capture;

namespace Edge.Fleet.Tests.Capture;

public sealed class CliByteSizeTests
{
    [Theory]
    [InlineData("4096", 4096L)]
    [InlineData("64MiB", 64L << 20)]
    [InlineData("256KiB", 256L << 10)]
    [InlineData("1GiB", 1L << 30)]
    [InlineData("2 MB", 2L << 20)]
    [InlineData("512B", 512L)]
    public void Parse_Sizes_InBytes(string text, long expected) => Assert.Equal(expected, CliByteSize.Parse(text, "--max-bytes"));

    [Theory]
    [InlineData("0")]
    [InlineData("-1MiB")]
    [InlineData("lots")]
    [InlineData("1.5MiB")]
    [InlineData("99999999999GiB")]
    public void Parse_NotASize_NamesTheOptionAndTheExpectedForm(string text)
    {
        var error = Assert.Throws<CliUsageException>(() => CliByteSize.Parse(text, "--max-bytes"));

        Assert.Equal($"--max-bytes: '{text}' is not a size; expected a positive whole number of bytes with an optional KiB, MiB or GiB suffix, e.g. 64MiB.", error.Message);
    }
}
