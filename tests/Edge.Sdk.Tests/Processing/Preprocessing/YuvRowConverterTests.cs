using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Sdk.Tests.Processing.Preprocessing;

public sealed class YuvRowConverterTests
{
    [Fact]
    public void Write_EveryYuvTriple_MatchesTheFixedPointEquations()
    {
        var rgb = new byte[3];
        var mismatches = 0;
        for (var y = 0; y < 256; y++)
        {
            for (var u = 0; u < 256; u++)
            {
                for (var v = 0; v < 256; v++)
                {
                    YuvRowConverter.Write((byte)y, (byte)u, (byte)v, rgb, 0);
                    var (r, g, b) = Reference(y, u, v);
                    mismatches += rgb[0] != r || rgb[1] != g || rgb[2] != b ? 1 : 0;
                }
            }
        }

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void Nv12_ColumnsOfARow_ConvertEachWithItsChromaPair()
    {
        const int width = 8, height = 2;
        byte[] frame = [16, 60, 100, 140, 180, 200, 235, 255, 0, 0, 0, 0, 0, 0, 0, 0, 90, 240, 128, 128, 240, 90, 16, 16];
        int[] columns = [0, 3, 4, 7];
        var rgb = new byte[3 * columns.Length];

        YuvRowConverter.Nv12(frame, width, height, 0, columns, rgb);

        for (var i = 0; i < columns.Length; i++)
        {
            var x = columns[i];
            var chroma = (width * height) + (x & ~1);
            var (r, g, b) = Reference(frame[x], frame[chroma], frame[chroma + 1]);
            Assert.Equal([r, g, b], rgb[(3 * i)..((3 * i) + 3)]);
        }
    }

    [Fact]
    public void Nv12_ColumnPastTheRow_IsRefusedBeforeAnyRead()
    {
        var frame = new byte[8 * 2 * 3 / 2];

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => YuvRowConverter.Nv12(frame, 8, 2, 0, [2, 8], new byte[6]));

        Assert.Contains("do not fit a row of 8 bytes", error.Message, StringComparison.Ordinal);
    }

    /// <summary>BT.601 limited range in 8.8 fixed point, written out directly.</summary>
    private static (byte R, byte G, byte B) Reference(int y, int u, int v)
    {
        var c = 298 * (y - 16);
        var d = u - 128;
        var e = v - 128;
        return (Clamp((c + (409 * e) + 128) >> 8), Clamp((c - (100 * d) - (208 * e) + 128) >> 8), Clamp((c + (516 * d) + 128) >> 8));
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}
