using System.Globalization;
using System.Text.RegularExpressions;
using Edge.Packaging;

namespace Edge.Optimizer.Packaging;

/// <summary>
/// Gathers golden samples from a folder in the ONNX test-data layout: <c>input_K.pb</c> and <c>output_K.pb</c>
/// (one TensorProto each) directly in the folder, or in subfolders such as <c>test_data_set_0/</c>, one sample each.
/// </summary>
internal static partial class GoldenSampleCollector
{
    public static IReadOnlyList<PackageGoldenSample> Collect(string directory, double atol, double rtol, List<PackageSourceFile> sources)
    {
        var folders = HasTensors(directory)
            ? [directory]
            : Directory.GetDirectories(directory).Where(HasTensors).Order(StringComparer.Ordinal).ToArray();
        if (folders.Length == 0)
        {
            throw new ArgumentException($"--golden folder '{directory}' holds no input_K.pb files, neither directly nor in subfolders.");
        }

        var samples = new List<PackageGoldenSample>();
        foreach (var folder in folders)
        {
            var name = SampleName(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)));
            var inputs = Tensors(folder, "input", name, sources);
            var outputs = Tensors(folder, "output", name, sources);
            samples.Add(new PackageGoldenSample { Name = name, Inputs = inputs, Outputs = outputs, Atol = atol, Rtol = rtol });
        }

        return samples;
    }

    private static bool HasTensors(string folder) => Directory.EnumerateFiles(folder, "input_*.pb").Any();

    private static List<string> Tensors(string folder, string kind, string sample, List<PackageSourceFile> sources)
    {
        var files = Directory.GetFiles(folder, kind + "_*.pb")
            .Select(f => (Path: f, Match: TensorFile().Match(Path.GetFileName(f))))
            .Where(f => f.Match.Success && f.Match.Groups[1].Value == kind)
            .OrderBy(f => int.Parse(f.Match.Groups[2].Value, CultureInfo.InvariantCulture))
            .ToList();
        for (var i = 0; i < files.Count; i++)
        {
            if (int.Parse(files[i].Match.Groups[2].Value, CultureInfo.InvariantCulture) != i)
            {
                throw new ArgumentException($"Golden folder '{folder}' has {kind}_K.pb files numbered {string.Join(", ", files.Select(f => f.Match.Groups[2].Value))}; expected 0 to {files.Count - 1}.");
            }
        }

        var archivePaths = new List<string>();
        foreach (var (path, _) in files)
        {
            var archivePath = $"{PackageLayout.GoldenFolder}{sample}/{Path.GetFileName(path)}";
            sources.Add(new PackageSourceFile(archivePath, path, PackageFileRole.Golden));
            archivePaths.Add(archivePath);
        }

        return archivePaths;
    }

    private static string SampleName(string folderName)
    {
        var name = InvalidNameCharacters().Replace(folderName.ToLowerInvariant(), "-").TrimStart('.', '_', '-');
        return name.Length == 0 ? "sample" : name;
    }

    [GeneratedRegex("^(input|output)_([0-9]+)\\.pb$")]
    private static partial Regex TensorFile();

    [GeneratedRegex("[^a-z0-9._-]")]
    private static partial Regex InvalidNameCharacters();
}
