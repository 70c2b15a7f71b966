using System.Globalization;
using Edge.Sdk.IO;

namespace Edge.Optimizer.Data;

/// <summary>
/// Photos with labels: either a <c>labels.csv</c> whose header names <c>file</c> and <c>class_index</c> columns
/// (other columns are ignored), or one subfolder per class, classes numbered in ordinal name order.
/// Samples are yielded as image paths; the preprocessing spec turns them into model input.
/// </summary>
internal sealed class ImageFolderDataset : IDataset
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".webp" };

    private readonly List<(string Path, int Label)> _items;

    public ImageFolderDataset(DatasetSpec spec)
    {
        Spec = spec;
        if (!Directory.Exists(spec.Path))
        {
            throw new DirectoryNotFoundException($"Image folder '{spec.Path}' {PathProblem.ForFolder(spec.Path)}; expected a folder with labels.csv or one subfolder per class.");
        }

        var csv = Path.Combine(spec.Path, "labels.csv");
        var all = File.Exists(csv) ? ReadCsv(spec.Path, csv) : ReadClassFolders(spec.Path);
        var (start, length) = spec.Resolve(all.Count);
        _items = all.GetRange(start, length);
    }

    public DatasetSpec Spec { get; }

    public int Count => _items.Count;

    public bool HasLabels => true;

    public IEnumerable<DataSample> Read(CancellationToken cancellationToken = default)
    {
        foreach (var (path, label) in _items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return DataSample.FromImage(Path.GetFileName(path), label, path);
        }
    }

    private static List<(string, int)> ReadCsv(string folder, string csv)
    {
        using var reader = new StreamReader(csv);
        var header = reader.ReadLine() ?? throw new InvalidDataException($"'{csv}' is empty; expected a header with 'file' and 'class_index' columns.");
        var columns = header.Split(',').Select(c => c.Trim()).ToList();
        var fileColumn = columns.IndexOf("file");
        var labelColumn = columns.IndexOf("class_index");
        if (fileColumn < 0 || labelColumn < 0)
        {
            throw new InvalidDataException($"'{csv}' header is '{header}'; expected columns 'file' and 'class_index'.");
        }

        var items = new List<(string, int)>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split(',');
            if (cells.Length <= Math.Max(fileColumn, labelColumn)
                || !int.TryParse(cells[labelColumn], NumberStyles.None, CultureInfo.InvariantCulture, out var label))
            {
                throw new InvalidDataException($"'{csv}' line {lineNumber} ('{line}') has no integer class_index in column {labelColumn + 1}.");
            }

            var path = Path.Combine(folder, cells[fileColumn].Trim());
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"'{csv}' line {lineNumber} names '{cells[fileColumn]}', which is not in '{folder}'.", path);
            }

            items.Add((path, label));
        }

        return items;
    }

    private static List<(string, int)> ReadClassFolders(string folder)
    {
        var classes = Directory.GetDirectories(folder).OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal).ToList();
        if (classes.Count == 0)
        {
            throw new InvalidDataException($"Image folder '{folder}' has neither labels.csv nor class subfolders.");
        }

        var items = new List<(string, int)>();
        for (var label = 0; label < classes.Count; label++)
        {
            items.AddRange(Directory.EnumerateFiles(classes[label])
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f)))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => (f, label)));
        }

        return items;
    }
}
