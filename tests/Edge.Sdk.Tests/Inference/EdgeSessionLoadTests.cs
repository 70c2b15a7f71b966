using Edge.Sdk.Inference;

namespace Edge.Sdk.Tests.Inference;

public sealed class EdgeSessionLoadTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Load_MnistFile_MatchesReferenceOutputs(int set)
    {
        using var session = EdgeSession.Load(TestModels.Mnist);
        var output = new float[10];

        session.Run<float, float>(TestModels.MnistInputSet(set), output);

        TestModels.AssertClose(TestModels.MnistOutputSet(set), output, 1e-4f);
        Assert.Equal("mnist", session.ModelName);
        Assert.Equal("1", session.ModelVersion); // mnist.onnx declares model_version 1
        Assert.Equal(ExecutionProvider.Cpu, session.Provider);
        Assert.Equal("Input3", session.Inputs[0].Name);
        Assert.Equal(new long[] { 1, 1, 28, 28 }, session.Inputs[0].Dimensions);
    }

    [Fact]
    public void Load_ModelWithoutModelVersion_ReportsUnknown()
    {
        var model = Edge.Onnx.OnnxModel.Load(TestModels.Mnist);
        model.Proto.ClearModelVersion();
        var path = Path.Combine(Path.GetTempPath(), $"edge-noversion-{Guid.NewGuid():N}.onnx");
        model.Save(path);
        try
        {
            using var session = EdgeSession.Load(path);

            Assert.Equal("unknown", session.ModelVersion); // ONNX Runtime itself reports long.MaxValue here
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task LoadAsync_Stream_MatchesFileLoad()
    {
        await using var stream = File.OpenRead(TestModels.Mnist);
        using var fromStream = await EdgeSession.LoadAsync(stream, new EdgeSessionOptions { ModelName = "digits", ModelVersion = "7" });
        using var fromBytes = EdgeSession.Load(File.ReadAllBytes(TestModels.Mnist));
        var a = new float[10];
        var b = new float[10];

        fromStream.Run<float, float>(TestModels.MnistInputSet(1), a);
        fromBytes.Run<float, float>(TestModels.MnistInputSet(1), b);

        Assert.Equal(a, b);
        TestModels.AssertClose(TestModels.MnistOutputSet(1), a, 1e-4f);
        Assert.Equal("digits", fromStream.ModelName);
        Assert.Equal("7", fromStream.ModelVersion);
        Assert.Equal("model", fromBytes.ModelName);
    }

    [Fact]
    public void Load_Squeezenet_MatchesOnnxRuntimeReferenceWithin1e3()
    {
        using var session = EdgeSession.Load(TestModels.Squeezenet);
        var input = TestModels.ReadFloats("models/classifiers/squeezenet1.0/test_data_set_0/input_0.pb");
        var expected = TestModels.ReadFloats("models/classifiers/squeezenet1.0/test_data_set_0/output_0.pb");
        var output = new float[1000];

        session.Run<float, float>(input, output);

        TestModels.AssertClose(expected, output, 1e-3f);
        Assert.Equal(111, Array.IndexOf(output, output.Max()));
    }

    [Fact]
    public void Load_CorruptModel_ThrowsModelLoadExceptionNamingFileWithOrtError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"edge-corrupt-{Guid.NewGuid():N}.onnx");
        var bytes = File.ReadAllBytes(TestModels.Mnist)[..5000];
        File.WriteAllBytes(path, bytes);
        try
        {
            var error = Assert.Throws<ModelLoadException>(() => EdgeSession.Load(path));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Equal(path, error.ModelSource);
            Assert.IsType<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(error.InnerException);
            Assert.Contains(error.InnerException!.Message, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_MissingFile_ThrowsModelLoadException()
    {
        var error = Assert.Throws<ModelLoadException>(() => EdgeSession.Load("/nonexistent/model.onnx"));

        Assert.Contains("/nonexistent/model.onnx", error.Message, StringComparison.Ordinal);
        Assert.IsType<FileNotFoundException>(error.InnerException);
    }

    [Fact]
    public void Load_InvalidOptions_ListsEveryProblemAtOnce()
    {
        var options = new EdgeSessionOptions
        {
            WarmupRuns = -1,
            ModelName = " ",
            Cuda = { DeviceId = -2, MemoryLimitBytes = 0 },
            Cpu = { IntraOpThreads = -1, InterOpThreads = -3 },
        };

        var error = Assert.Throws<ArgumentException>(() => EdgeSession.Load(TestModels.Mnist, options));

        Assert.Contains("6 problem(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("WarmupRuns must be in 0..1000, but was -1", error.Message, StringComparison.Ordinal);
        Assert.Contains("ModelName", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cuda.DeviceId must be zero or more, but was -2", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cuda.MemoryLimitBytes must be positive when set, but was 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cpu.IntraOpThreads must be zero or more, but was -1", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cpu.InterOpThreads must be zero or more, but was -3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PinnedProcessorsWithWrongThreadCount_ExplainsTheRule()
    {
        var options = new EdgeSessionOptions { Cpu = { IntraOpThreads = 3, PinnedProcessors = [0] } };

        var error = Assert.Throws<ArgumentException>(() => EdgeSession.Load(TestModels.Mnist, options));

        Assert.Contains("Cpu.IntraOpThreads must be 2 (workers plus the calling thread), but was 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PinnedProcessors_RunsWithAffinityConfig()
    {
        var cpu = new CpuProviderOptions { IntraOpThreads = 2, PinnedProcessors = [Environment.ProcessorCount - 1] };
        Assert.Equal(Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), cpu.AffinityConfigValue());
        using var session = EdgeSession.Load(TestModels.Mnist, new EdgeSessionOptions { Provider = ExecutionProvider.Cpu, Cpu = cpu });
        var output = new float[10];

        session.Run<float, float>(TestModels.MnistInputSet(2), output);

        TestModels.AssertClose(TestModels.MnistOutputSet(2), output, 1e-4f);
    }

    [Fact]
    public void AffinityConfigValue_SeveralProcessors_UsesOneBasedIdsSeparatedBySemicolons()
    {
        var cpu = new CpuProviderOptions { IntraOpThreads = 4, PinnedProcessors = [0, 2, 5] };

        Assert.Equal("1;3;6", cpu.AffinityConfigValue());
    }

    [Fact]
    public async Task RunAsync_SessionAndRequest_GiveReferenceOutputs()
    {
        using var session = EdgeSession.Load(TestModels.Mnist);
        using var request = session.CreateRequest();
        var output = new float[10];
        request.SetInput<float>(TestModels.MnistInput, TestModels.MnistInputSet(2));

        await session.RunAsync<float, float>(TestModels.MnistInputSet(1), output);
        await request.RunAsync();

        TestModels.AssertClose(TestModels.MnistOutputSet(1), output, 1e-4f);
        TestModels.AssertClose(TestModels.MnistOutputSet(2), request.GetOutput<float>(TestModels.MnistOutput), 1e-4f);
    }

    [Fact]
    public async Task RunAsync_AlreadyCancelled_ThrowsWithoutRunning()
    {
        using var session = EdgeSession.Load(TestModels.Mnist);
        using var request = session.CreateRequest();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request.RunAsync(new CancellationToken(canceled: true)));
    }
}
