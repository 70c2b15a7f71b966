using Edge.Sdk.Inference;
using Edge.TestUtilities;

namespace Edge.Sdk.Tests.Inference;

public sealed class ProviderSelectionTests
{
    [CpuPackageFact]
    public void Load_AutoOnCpuBuild_ChoosesCpuAndLogsWhyEachGpuProviderWasSkipped()
    {
        var logs = new ListLoggerFactory();

        using var session = EdgeSession.Load(TestModels.Mnist, new EdgeSessionOptions(), logs);

        Assert.Equal(ExecutionProvider.Cpu, session.Provider);
        Assert.Contains(logs.Lines, l => l.Contains("Skipped TensorRT", StringComparison.Ordinal) && l.Contains("not in this ONNX Runtime build", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("Skipped Cuda", StringComparison.Ordinal) && l.Contains("not in this ONNX Runtime build", StringComparison.Ordinal));
    }

    [CpuPackageFact]
    public void Load_ExplicitCudaOnCpuBuild_ThrowsWithWhatIsMissingAndHowToInstall()
    {
        var error = Assert.Throws<ExecutionProviderUnavailableException>(
            () => EdgeSession.Load(TestModels.Mnist, new EdgeSessionOptions { Provider = ExecutionProvider.Cuda }));

        Assert.Equal(ExecutionProvider.Cuda, error.Provider);
        Assert.Contains("CUDA execution provider is not in this ONNX Runtime build", error.Message, StringComparison.Ordinal);
        Assert.Contains("CPUExecutionProvider", error.Message, StringComparison.Ordinal);
        Assert.Contains("--use_cuda", error.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", error.Message, StringComparison.Ordinal);
    }

    [CpuPackageFact]
    public void Load_ExplicitTensorRtOnCpuBuild_ThrowsWithInstallHint()
    {
        var error = Assert.Throws<ExecutionProviderUnavailableException>(
            () => EdgeSession.Load(TestModels.Mnist, new EdgeSessionOptions { Provider = ExecutionProvider.TensorRT }));

        Assert.Equal(ExecutionProvider.TensorRT, error.Provider);
        Assert.Contains("TensorRT execution provider is not in this ONNX Runtime build", error.Message, StringComparison.Ordinal);
        Assert.Contains("--use_tensorrt", error.Message, StringComparison.Ordinal);
        Assert.Contains("libnvinfer", error.Message, StringComparison.Ordinal);
    }

    [CpuPackageFact]
    public void Create_CudaListedButNotUsable_ExplicitRequestWrapsTheRealAppendFailure()
    {
        // Pretend the build lists CUDA, so the real AppendExecutionProvider_CUDA call runs against the CPU package.
        var options = new EdgeSessionOptions { Provider = ExecutionProvider.Cuda };
        string[] providers = ["CUDAExecutionProvider", "CPUExecutionProvider"];

        var error = Assert.Throws<ExecutionProviderUnavailableException>(
            () => EdgeSession.Create(ModelSource.FromFile(TestModels.Mnist), options, null, providers));

        Assert.NotNull(error.InnerException);
        Assert.Contains("could not be set up", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.InnerException!.GetType().Name, error.Message, StringComparison.Ordinal);
    }

    [NoUsableGpuFact]
    public void Create_AutoWithGpuProvidersListedButNotUsable_FallsBackToCpuAndLogsTheFailure()
    {
        var logs = new ListLoggerFactory();
        string[] providers = ["TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"];

        using var session = EdgeSession.Create(ModelSource.FromFile(TestModels.Mnist), new EdgeSessionOptions(), logs, providers);
        var output = new float[10];
        session.Run<float, float>(TestModels.MnistInputSet(0), output);

        Assert.Equal(ExecutionProvider.Cpu, session.Provider);
        TestModels.AssertClose(TestModels.MnistOutputSet(0), output, 1e-4f);
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning: Skipped TensorRT", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning: Skipped Cuda", StringComparison.Ordinal));
    }

    [GpuFact]
    [Trait(TestCategories.Category, TestCategories.Gpu)]
    public void Load_ExplicitCudaOnGpuBuild_RunsOnCudaAndMatchesReference()
    {
        using var session = EdgeSession.Load(TestModels.Mnist, new EdgeSessionOptions { Provider = ExecutionProvider.Cuda });
        var output = new float[10];

        session.Run<float, float>(TestModels.MnistInputSet(0), output);

        Assert.Equal(ExecutionProvider.Cuda, session.Provider);
        TestModels.AssertClose(TestModels.MnistOutputSet(0), output, 1e-3f);
    }

    [GpuFact]
    [Trait(TestCategories.Category, TestCategories.Gpu)]
    public void Load_TensorRtWithEngineCache_WritesEnginesUnderTheDeviceKey()
    {
        var cache = Directory.CreateTempSubdirectory("edge-trt-cache").FullName;
        var options = new EdgeSessionOptions { Provider = ExecutionProvider.TensorRT, TensorRt = { EngineCacheDirectory = cache } };

        using var session = EdgeSession.Load(TestModels.Squeezenet, options);

        Assert.Equal(ExecutionProvider.TensorRT, session.Provider);
        var keyed = Assert.Single(Directory.GetDirectories(cache));
        Assert.Matches("^sm[0-9]+_trt[0-9.]+_[0-9a-f]{16}$", Path.GetFileName(keyed));
        Assert.NotEmpty(Directory.GetFiles(keyed));
    }
}
