using System.Text.Json;
using System.Text.Json.Nodes;

namespace Edge.Bench.Benchmarks.Packages;

/// <summary>What a folder costs on disk, in the bytes of its files (as <c>du -sb</c> counts them, without folders).</summary>
internal static class FolderSize
{
    /// <summary>Total bytes and number of the files under <paramref name="folder"/>, symbolic links not followed.</summary>
    public static (long Bytes, int Files) Measure(string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = false };
        long bytes = 0;
        var files = 0;
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", options))
        {
            bytes += file.Length;
            files++;
        }

        return (bytes, files);
    }

    /// <summary>
    /// Bytes that each NuGet package contributes to an app folder, read from the app's <c>.deps.json</c> (its runtime
    /// and native assets, matched by file name in the folder that holds the deps file). Largest first.
    /// </summary>
    public static IReadOnlyList<(string Package, long Bytes)> ByPackage(string depsJsonPath)
    {
        var folder = Path.GetDirectoryName(depsJsonPath)!;
        using var document = JsonDocument.Parse(File.ReadAllText(depsJsonPath));
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var target in document.RootElement.GetProperty("targets").EnumerateObject())
        {
            foreach (var library in target.Value.EnumerateObject())
            {
                long bytes = 0;
                foreach (var kind in new[] { "runtime", "native" })
                {
                    if (!library.Value.TryGetProperty(kind, out var assets))
                    {
                        continue;
                    }

                    foreach (var asset in assets.EnumerateObject())
                    {
                        var file = new FileInfo(Path.Combine(folder, Path.GetFileName(asset.Name)));
                        bytes += file.Exists ? file.Length : 0;
                    }
                }

                var name = library.Name[..library.Name.IndexOf('/', StringComparison.Ordinal)];
                sizes[name] = sizes.GetValueOrDefault(name) + bytes;
            }
        }

        return sizes.OrderByDescending(s => s.Value).Select(s => (s.Key, s.Value)).ToList();
    }

    /// <summary>The first <paramref name="count"/> entries of <see cref="ByPackage"/> as a JSON object.</summary>
    public static JsonObject Largest(IReadOnlyList<(string Package, long Bytes)> byPackage, int count)
    {
        var result = new JsonObject();
        foreach (var (package, bytes) in byPackage.Take(count))
        {
            result[package] = bytes;
        }

        return result;
    }
}
