using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Edge.Agent.Tests.Capture;

/// <summary>Reads the arrays of an .npz written by <c>edge-fleet capture pull</c>, independently of the writer: header text and raw bytes.</summary>
internal static class CaptureNpz
{
    public static (string Header, byte[] Data) Array(string path, string name)
    {
        using var archive = ZipFile.OpenRead(path);
        var entry = archive.GetEntry(name) ?? throw new InvalidOperationException($"{path} has no {name}; it holds {string.Join(", ", archive.Entries.Select(e => e.FullName))}.");
        using var stream = entry.Open();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.ToArray();
        Assert.Equal("\x93NUMPY", Encoding.Latin1.GetString(bytes, 0, 6));
        var length = bytes[8] | (bytes[9] << 8);
        Assert.Equal(0, (10 + length) % 64);
        return (Encoding.ASCII.GetString(bytes, 10, length).Trim(), bytes[(10 + length)..]);
    }

    /// <summary>An entry's bytes as they are (a raw frame).</summary>
    public static byte[] Entry(string path, string name)
    {
        using var archive = ZipFile.OpenRead(path);
        using var stream = archive.GetEntry(name)?.Open() ?? throw new InvalidOperationException($"{path} has no {name}.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    public static JsonNode Provenance(string path)
    {
        using var archive = ZipFile.OpenRead(path);
        using var stream = archive.GetEntry("capture.json")!.Open();
        return JsonNode.Parse(stream)!;
    }

    public static IReadOnlyList<string> Entries(string path)
    {
        using var archive = ZipFile.OpenRead(path);
        return [.. archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal)];
    }

    public static string Shape(params long[] shape) => "'shape': (" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")";
}
