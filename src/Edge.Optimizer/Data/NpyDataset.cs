using System.IO.Compression;
using Edge.Sdk.IO;

namespace Edge.Optimizer.Data;

/// <summary>
/// NumPy data: a <c>.npy</c> file is one input array whose first axis is the sample axis; a <c>.npz</c> archive
/// holds one array per model input (named after the input, or taken in archive order) and optionally an integer
/// array named <c>labels</c>, <c>label</c> or <c>y</c> with one class index per sample. When every model input has an
/// array of its name, other arrays (an <c>edge-fleet capture pull</c> file's <c>output.*.npy</c>) are not inputs.
/// </summary>
internal sealed class NpyDataset : IDataset
{
    private static readonly string[] LabelNames = ["labels", "label", "y"];

    private readonly bool _isArchive;
    private readonly int _start;

    public NpyDataset(DatasetSpec spec)
    {
        Spec = spec;
        if (!File.Exists(spec.Path))
        {
            throw new FileNotFoundException($"NumPy file '{spec.Path}' {PathProblem.ForFile(spec.Path)}; expected a .npy or .npz file.", spec.Path);
        }

        _isArchive = spec.Path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase);
        long samples;
        using (var readers = OpenReaders())
        {
            var counts = readers.Arrays.Select(a => a.Reader.SampleCount).Append(readers.Labels?.SampleCount ?? -1).Where(c => c >= 0).Distinct().ToList();
            if (counts.Count != 1)
            {
                throw new InvalidDataException(
                    $"'{spec.Path}' arrays disagree on the sample count (first axis): {string.Join(", ", readers.Arrays.Select(a => $"{a.Name}={a.Reader.SampleCount}"))}" +
                    (readers.Labels is null ? string.Empty : $", labels={readers.Labels.SampleCount}") + ".");
            }

            samples = counts[0];
            HasLabels = readers.Labels is not null;
        }

        (_start, Count) = spec.Resolve(checked((int)samples));
    }

    public DatasetSpec Spec { get; }

    public int Count { get; }

    public bool HasLabels { get; }

    public IEnumerable<DataSample> Read(CancellationToken cancellationToken = default)
    {
        using var readers = OpenReaders();
        foreach (var (_, reader) in readers.Arrays)
        {
            reader.Skip(_start);
        }

        readers.Labels?.Skip(_start);
        for (var i = 0; i < Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var inputs = readers.Arrays.Select(a => a.Reader.ReadSample(a.Name)).ToList();
            int? label = readers.Labels is null ? null : Convert.ToInt32(readers.Labels.ReadSample(null).Data.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
            yield return DataSample.FromTensors((_start + i).ToString(System.Globalization.CultureInfo.InvariantCulture), label, inputs);
        }
    }

    private OpenArrays OpenReaders()
    {
        var result = new OpenArrays();
        try
        {
            if (!_isArchive)
            {
                result.Arrays.Add((null, new NpyArrayReader(File.OpenRead(Spec.Path), Spec.Path)));
                return result;
            }

            result.Archive = ZipFile.OpenRead(Spec.Path);
            foreach (var entry in result.Archive.Entries.Where(e => e.FullName.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)))
            {
                var name = Path.GetFileNameWithoutExtension(entry.FullName);
                var reader = new NpyArrayReader(entry.Open(), $"{Spec.Path}:{entry.FullName}");
                if (result.Labels is null && LabelNames.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    result.Labels = reader;
                }
                else
                {
                    result.Arrays.Add((name, reader));
                }
            }

            if (result.Arrays.Count == 0)
            {
                throw new InvalidDataException($"'{Spec.Path}' holds no input arrays (.npy entries other than labels).");
            }

            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private sealed class OpenArrays : IDisposable
    {
        public ZipArchive? Archive { get; set; }

        public List<(string? Name, NpyArrayReader Reader)> Arrays { get; } = [];

        public NpyArrayReader? Labels { get; set; }

        public void Dispose()
        {
            foreach (var (_, reader) in Arrays)
            {
                reader.Dispose();
            }

            Labels?.Dispose();
            Archive?.Dispose();
        }
    }
}
