using Edge.Optimizer.Data;
using Edge.Optimizer.Evaluation;
using Edge.Sdk.Inference;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Evaluation;

public class ModelEvaluatorTests
{
    private static EdgeSessionOptions Cpu() => new() { Provider = ExecutionProvider.Cpu, Cpu = new CpuProviderOptions { IntraOpThreads = 1 } };

    [Fact]
    public void Evaluate_WithoutProgress_CountsEverySample()
    {
        var dataset = DatasetFactory.Open($"mnist:{TestData.Directory("datasets/mnist")}@0:50");

        var result = ModelEvaluator.Evaluate(TestData.File("models/mnist/mnist.onnx"), dataset, null, null, Cpu, null, CancellationToken.None);

        Assert.Equal(50, result.Samples);
        Assert.NotNull(result.Top1);
        Assert.Null(result.ReferenceName);
    }

    [Fact]
    public void Evaluate_WithProgress_ReportsEachSampleInOrder()
    {
        var dataset = DatasetFactory.Open($"mnist:{TestData.Directory("datasets/mnist")}@0:5");
        var reported = new List<int>();

        ModelEvaluator.Evaluate(TestData.File("models/mnist/mnist.onnx"), dataset, null, null, Cpu, new SynchronousProgress(reported.Add), CancellationToken.None);

        Assert.Equal([1, 2, 3, 4, 5], reported);
    }

    [Fact]
    public void Evaluate_CapturedNpzWithServedOutputs_ComparesAgainstThem()
    {
        // A capture pull's layout: 20 MNIST digits as Input3, and the outputs "served" for them, of which the last
        // 5 had their scores reversed (another argmax); eval reads the served outputs as the reference.
        var digits = DatasetFactory.Open($"mnist:{TestData.Directory("datasets/mnist")}@0:20").Read().Select(s => (float[])s.Inputs![0].Data).ToList();
        var model = TestData.File("models/mnist/mnist.onnx");
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(model);
        var served = new List<float>();
        for (var i = 0; i < digits.Count; i++)
        {
            var tensor = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(digits[i], [1, 1, 28, 28]);
            using var results = session.Run([Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor("Input3", tensor)]);
            var scores = results[0].AsEnumerable<float>().ToArray();
            served.AddRange(i < 15 ? scores : scores.Select(x => -x));
        }

        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "field.npz");
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
        {
            Add(zip, "Input3.npy", Npy("(20, 1, 28, 28)", digits.SelectMany(d => d)));
            Add(zip, "output.Plus214_Output_0.npy", Npy("(20, 10)", served));
            Add(zip, "raw/000003.jpg", [0xFF, 0xD8]);
        }

        var result = ModelEvaluator.Evaluate(model, DatasetFactory.Open($"npy:{path}"), null, null, Cpu, null, CancellationToken.None);

        Assert.Equal(20, result.Samples);
        Assert.Null(result.Top1);
        Assert.Equal("stored outputs", result.ReferenceName);
        Assert.Equal(0.75, result.Top1Agreement!.Value, 6);
    }

    private static byte[] Npy(string shape, IEnumerable<float> values)
    {
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}";
        header = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        byte[] prefix = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, (byte)(header.Length >> 8)];
        return [.. prefix, .. System.Text.Encoding.ASCII.GetBytes(header), .. values.SelectMany(BitConverter.GetBytes)];
    }

    private static void Add(System.IO.Compression.ZipArchive zip, string name, byte[] content)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(content);
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
