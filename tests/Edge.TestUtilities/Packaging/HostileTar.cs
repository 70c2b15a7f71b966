using System.Text;

namespace Edge.TestUtilities.Packaging;

/// <summary>
/// Tar archives that lie in their headers, written byte by byte (no tar library would write them): a metadata entry
/// (pax extended header <c>x</c>, or GNU long name <c>L</c>) whose size field claims far more than follows, and a
/// regular entry whose size field claims more than the archive holds.
/// </summary>
public static class HostileTar
{
    /// <summary>2^31 − 1, the size that made System.Formats.Tar throw InvalidOperationException (issue 17).</summary>
    public const long HugeHeaderBytes = int.MaxValue;

    private const int Block = 512;

    /// <summary>A pax extended header ('x') claiming <paramref name="claimedBytes"/> of attributes, then a few real ones.</summary>
    public static byte[] PaxHeaderBomb(long claimedBytes = HugeHeaderBytes) =>
        Archive(Header("PaxHeaders/model.onnx", 'x', claimedBytes, gnu: false), Encoding.ASCII.GetBytes("19 path=model.onnx\n"));

    /// <summary>A GNU long-name entry ('L', magic "ustar  ") claiming <paramref name="claimedBytes"/> of name.</summary>
    public static byte[] GnuLongNameBomb(long claimedBytes = HugeHeaderBytes) =>
        Archive(Header("././@LongLink", 'L', claimedBytes, gnu: true), Encoding.ASCII.GetBytes("model.onnx\0"));

    /// <summary>A first regular entry named <paramref name="name"/> whose size field claims <paramref name="claimedBytes"/>.</summary>
    public static byte[] RegularEntryClaiming(string name, long claimedBytes, byte[] data) =>
        Archive(Header(name, '0', claimedBytes, gnu: false), data);

    private static byte[] Archive(byte[] header, byte[] data)
    {
        using var stream = new MemoryStream();
        stream.Write(header);
        stream.Write(data);
        stream.Write(new byte[(Block - (data.Length % Block)) % Block]);
        stream.Write(new byte[2 * Block]); // The end-of-archive marker, so only the lying size can be blamed.
        return stream.ToArray();
    }

    private static byte[] Header(string name, char type, long size, bool gnu)
    {
        var header = new byte[Block];
        Ascii(header, 0, name);
        Ascii(header, 100, "0000644\0");
        Ascii(header, 108, "0000000\0");
        Ascii(header, 116, "0000000\0");
        Size(header, size);
        Ascii(header, 136, "00000000000\0");
        header[156] = (byte)type;
        Ascii(header, 257, gnu ? "ustar  \0" : "ustar\0" + "00");
        Ascii(header, 148, "        ");
        var sum = header.Sum(b => (int)b);
        Ascii(header, 148, Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ");
        return header;
    }

    private static void Size(byte[] header, long size)
    {
        var octal = Convert.ToString(size, 8);
        if (octal.Length <= 11)
        {
            Ascii(header, 124, octal.PadLeft(11, '0') + "\0");
            return;
        }

        // Too large for 11 octal digits: the base-256 form (first byte 0x80, then the value big-endian).
        header[124] = 0x80;
        for (var i = 0; i < 8; i++)
        {
            header[135 - i] = (byte)(size >> (8 * i));
        }
    }

    private static void Ascii(byte[] header, int offset, string text) =>
        Encoding.ASCII.GetBytes(text, 0, text.Length, header, offset);
}
