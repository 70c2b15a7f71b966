using System.IO.Compression;
using System.Text;
using Edge.Optimizer.Data;

namespace Edge.Optimizer.Tests.Data;

public sealed class NpyDatasetTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-npy-").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    [Fact]
    public void Read_NpyFile_SplitsLeadingAxisIntoSamples()
    {
        var path = Path.Combine(_folder, "x.npy");
        File.WriteAllBytes(path, Npy("<f4", "(3, 2)", Floats(0, 1, 2, 3, 4, 5)));

        var dataset = DatasetFactory.Open($"npy:{path}@1:3");
        var samples = dataset.Read().ToList();

        Assert.Equal(2, dataset.Count);
        Assert.False(dataset.HasLabels);
        Assert.Equal([1L, 2], samples[0].Inputs![0].Shape);
        Assert.Equal([2f, 3f], (float[])samples[0].Inputs![0].Data);
        Assert.Equal([4f, 5f], (float[])samples[1].Inputs![0].Data);
    }

    [Fact]
    public void Read_NpzWithLabels_PairsInputsAndLabels()
    {
        var path = Path.Combine(_folder, "d.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            Add(zip, "input.npy", Npy("<f4", "(2, 1)", Floats(7, 8)));
            Add(zip, "labels.npy", Npy("<i8", "(2,)", BitConverter.GetBytes(3L).Concat(BitConverter.GetBytes(9L)).ToArray()));
        }

        var samples = DatasetFactory.Open($"npy:{path}").Read().ToList();

        Assert.Equal([3, 9], samples.Select(s => s.Label!.Value));
        Assert.Equal("input", samples[1].Inputs![0].Name);
        Assert.Equal([8f], (float[])samples[1].Inputs![0].Data);
    }

    [Fact]
    public void Build_NpzWithExtraArrays_InputsMatchedByName_ExtrasLeftOut()
    {
        // The layout edge-fleet capture pull writes: the model's input, the served outputs, no labels.
        var path = Path.Combine(_folder, "capture.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            Add(zip, "output.Plus214_Output_0.npy", Npy("<f4", "(2, 10)", Floats(new float[20])));
            Add(zip, "Input3.npy", Npy("<f4", "(2, 1, 28, 28)", Floats([.. Enumerable.Range(0, 2 * 784).Select(i => (float)i)])));
        }

        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(Edge.TestUtilities.TestData.File("models/mnist/mnist.onnx"));
        var inputs = session.InputNames.Select(n => new Edge.Sdk.Inference.TensorInfo(n, session.InputMetadata[n])).ToList();
        var builder = new SampleInputBuilder(inputs, null);

        var built = DatasetFactory.Open($"npy:{path}").Read().Select(builder.Build).ToList();

        Assert.Equal(2, built.Count);
        var input = Assert.Single(built[1]);
        Assert.Equal("Input3", input.Name);
        Assert.Equal([1L, 1, 28, 28], input.Shape);
    }

    [Fact]
    public void Build_NpzWithTwoUnnamedArraysForOneInput_StillRefusedWithTheCounts()
    {
        var path = Path.Combine(_folder, "two.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            Add(zip, "a.npy", Npy("<f4", "(1, 1, 28, 28)", Floats(new float[784])));
            Add(zip, "b.npy", Npy("<f4", "(1, 10)", Floats(new float[10])));
        }

        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(Edge.TestUtilities.TestData.File("models/mnist/mnist.onnx"));
        var builder = new SampleInputBuilder(session.InputNames.Select(n => new Edge.Sdk.Inference.TensorInfo(n, session.InputMetadata[n])).ToList(), null);

        var error = Assert.Throws<InvalidDataException>(() => builder.Build(DatasetFactory.Open($"npy:{path}").Read().First()));

        Assert.Equal("Sample '0' has 2 tensors but the model has 1 inputs (Input3).", error.Message);
    }

    [Theory]
    [InlineData("'>f4'", "False", "element type '>f4'")]
    [InlineData("'<f4'", "True", "Fortran order")]
    public void Open_UnsupportedLayout_ThrowsNamingIt(string descr, string fortran, string expected)
    {
        var path = Path.Combine(_folder, "bad.npy");
        File.WriteAllBytes(path, Npy(descr.Trim('\''), "(1,)", Floats(1), fortran));

        var error = Assert.Throws<InvalidDataException>(() => DatasetFactory.Open($"npy:{path}"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NotNpy_ThrowsNamingTheMagic()
    {
        var path = Path.Combine(_folder, "text.npy");
        File.WriteAllText(path, "hello, world");

        var error = Assert.Throws<InvalidDataException>(() => DatasetFactory.Open($"npy:{path}"));

        Assert.Contains("NUMPY magic", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    private static byte[] Npy(string descr, string shape, byte[] data, string fortran = "False")
    {
        var header = $"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape}, }}";
        var padded = header.PadRight(((header.Length + 11) / 64 + 1) * 64 - 11) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange(Encoding.ASCII.GetBytes("NUMPY"));
        bytes.AddRange([1, 0]);
        bytes.AddRange(BitConverter.GetBytes((ushort)padded.Length));
        bytes.AddRange(Encoding.ASCII.GetBytes(padded));
        bytes.AddRange(data);
        return [.. bytes];
    }

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(content);
    }
}
