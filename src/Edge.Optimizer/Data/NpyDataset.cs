using System.IO.Compression;
using Edge.Sdk.IO;

namespace Edge.Optimizer.Data;

/// <summary>
/// NumPy data: a <c>.npy</c> file is one input array whose first axis is the sample axis; a <c>.npz</c> archive
/// holds one array per model input (named after the input, or taken in archive order) and optionally an integer
/// array named <c>labels</c>, <c>label</c> or <c>y</c> with one class index per sample. When every model input has an
/// array of its name, other arrays are not inputs. Arrays named <c>output.{name}</c> (an <c>edge-fleet capture pull</c>
/// file's outputs the devices served) are each sample's stored outputs, which <c>eval</c> compares the model against.
/// </summary>
internal sealed class NpyDataset : IDataset
{
    private static readonly string[] LabelNames = ["labels", "label", "y"];

    /// <summary>The prefix of an archive array that holds stored outputs rather than inputs.</summary>
    private const string OutputPrefix = "output.";

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
            var arrays = readers.Arrays.Concat(readers.Outputs).ToList();
            var counts = arrays.Select(a => a.Reader.SampleCount).Append(readers.Labels?.SampleCount ?? -1).Where(c => c >= 0).Distinct().ToList();
            if (counts.Count != 1)
            {
                throw new InvalidDataException(
                    $"'{spec.Path}' arrays disagree on the sample count (first axis): {string.Join(", ", arrays.Select(a => $"{a.Name}={a.Reader.SampleCount}"))}" +
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
        foreach (var (_, reader) in readers.Arrays.Concat(readers.Outputs))
        {
            reader.Skip(_start);
        }

        readers.Labels?.Skip(_start);
        for (var i = 0; i < Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var inputs = readers.Arrays.Select(a => a.Reader.ReadSample(a.Name)).ToList();
            var outputs = readers.Outputs.Select(a => a.Reader.ReadSample(a.Name![OutputPrefix.Length..])).ToList();
            int? label = readers.Labels is null ? null : Convert.ToInt32(readers.Labels.ReadSample(null).Data.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
            yield return DataSample.FromTensors((_start + i).ToString(System.Globalization.CultureInfo.InvariantCulture), label, inputs, outputs.Count == 0 ? null : outputs);
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
                else if (name.StartsWith(OutputPrefix, StringComparison.Ordinal) && name.Length > OutputPrefix.Length)
                {
                    result.Outputs.Add((name, reader));
                }
                else
                {
                    result.Arrays.Add((name, reader));
                }
            }

            if (result.Arrays.Count == 0)
            {
                throw new InvalidDataException($"'{Spec.Path}' holds no input arrays (.npy entries other than labels and output.*).");
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

        /// <summary>The stored outputs, named <c>output.{name}</c>.</summary>
        public List<(string? Name, NpyArrayReader Reader)> Outputs { get; } = [];

        public void Dispose()
        {
            foreach (var (_, reader) in Arrays.Concat(Outputs))
            {
                reader.Dispose();
            }

            Labels?.Dispose();
            Archive?.Dispose();
        }
    }
}
