using System.Globalization;
using Edge.TestUtilities;

namespace Edge.Sdk.Tests.Processing;

/// <summary>The 500-image ImageNet validation sample in the shared data (labels.csv: file, class index, wnid, name).</summary>
internal static class ImageNetSample
{
    public static string Directory => TestData.Directory("datasets/imagenet-sample-500");

    public static IReadOnlyList<(string Path, int ClassIndex, string Name)> Load()
    {
        var directory = Directory;
        var lines = File.ReadAllLines(TestData.File("datasets/imagenet-sample-500/labels.csv"));
        return lines.Skip(1)
            .Where(l => l.Length > 0)
            .Select(l => l.Split(','))
            .Select(f => (Path.Combine(directory, f[0]), int.Parse(f[1], CultureInfo.InvariantCulture), f[3]))
            .ToList();
    }

    /// <summary>The dog photos: ImageNet classes 151..268.</summary>
    public static IReadOnlyList<(string Path, int ClassIndex, string Name)> Dogs() =>
        Load().Where(s => s.ClassIndex is >= 151 and <= 268).ToList();
}
