using System.Globalization;
using Edge.Onnx.Protobuf;
using Edge.Sdk.IO;

namespace Edge.Optimizer.Data;

/// <summary>
/// ONNX test data: a folder of <c>test_data_set_N</c> folders, each holding <c>input_K.pb</c> and optionally
/// <c>output_K.pb</c> (one serialized TensorProto each). Tensors match model inputs by position (K), because some
/// stored names differ from the graph's. A folder that is itself a <c>test_data_set_N</c> is one sample.
/// </summary>
internal sealed class OnnxTestDataDataset : IDataset
{
    private readonly List<string> _sets;

    public OnnxTestDataDataset(DatasetSpec spec)
    {
        Spec = spec;
        if (!Directory.Exists(spec.Path))
        {
            throw new DirectoryNotFoundException($"Test data folder '{spec.Path}' {PathProblem.ForFolder(spec.Path)}; expected a folder of test_data_set_N folders.");
        }

        var all = Path.GetFileName(Path.TrimEndingDirectorySeparator(spec.Path)).StartsWith("test_data_set_", StringComparison.Ordinal)
            ? [spec.Path]
            : Directory.GetDirectories(spec.Path, "test_data_set_*").OrderBy(SetNumber).ToList();
        if (all.Count == 0)
        {
            throw new InvalidDataException($"Test data folder '{spec.Path}' has no test_data_set_N folders.");
        }

        var (start, length) = spec.Resolve(all.Count);
        _sets = all.GetRange(start, length);
    }

    public DatasetSpec Spec { get; }

    public int Count => _sets.Count;

    public bool HasLabels => false;

    public IEnumerable<DataSample> Read(CancellationToken cancellationToken = default)
    {
        foreach (var set in _sets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var inputs = ReadTensors(set, "input_");
            if (inputs.Count == 0)
            {
                throw new InvalidDataException($"'{set}' has no input_K.pb files.");
            }

            var outputs = ReadTensors(set, "output_");
            yield return DataSample.FromTensors(Path.GetFileName(set), null, inputs, outputs.Count == 0 ? null : outputs);
        }
    }

    private static int SetNumber(string folder) =>
        int.TryParse(Path.GetFileName(folder)["test_data_set_".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;

    private static List<SampleTensor> ReadTensors(string set, string prefix)
    {
        var tensors = new List<SampleTensor>();
        for (var k = 0; ; k++)
        {
            var path = Path.Combine(set, $"{prefix}{k}.pb");
            if (!File.Exists(path))
            {
                return tensors;
            }

            TensorProto proto;
            try
            {
                using var stream = File.OpenRead(path);
                proto = TensorProto.Parser.ParseFrom(stream);
            }
            catch (Google.Protobuf.InvalidProtocolBufferException e)
            {
                throw new InvalidDataException($"'{path}' is not a serialized TensorProto: {e.Message}", e);
            }

            tensors.Add(TensorProtoConverter.ToSampleTensor(proto, path));
        }
    }
}
