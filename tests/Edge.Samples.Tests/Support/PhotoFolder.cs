using System.Globalization;
using Edge.TestUtilities;

namespace Edge.Samples.Tests.Support;

/// <summary>A temporary folder of symbolic links to chosen photos of the shared ImageNet sample, deleted on dispose.</summary>
internal sealed class PhotoFolder : IDisposable
{
    private PhotoFolder(string path, IReadOnlyList<string> files)
    {
        Path = path;
        Files = files;
    }

    public string Path { get; }

    /// <summary>The file names, in the order a folder source reads them (ordinal).</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Every photo of the sample with its ImageNet class index (labels.csv: file, class index, wnid, name).</summary>
    public static IReadOnlyList<(string File, int ClassIndex)> Labels() =>
        [.. File.ReadAllLines(TestData.File("datasets/imagenet-sample-500/labels.csv"))
            .Skip(1)
            .Where(l => l.Length > 0)
            .Select(l => l.Split(','))
            .Select(f => (f[0], int.Parse(f[1], CultureInfo.InvariantCulture)))];

    public static PhotoFolder Create(IEnumerable<string> files)
    {
        _ = TestData.Directory("datasets/imagenet-sample-500"); // fails with a clear message when the shared data is missing
        var path = Directory.CreateTempSubdirectory("edge-samples-photos-").FullName;
        var names = files.Order(StringComparer.Ordinal).ToArray();
        foreach (var name in names)
        {
            File.CreateSymbolicLink(System.IO.Path.Combine(path, name), TestData.File($"datasets/imagenet-sample-500/{name}"));
        }

        return new PhotoFolder(path, names);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
