using Edge.Sdk.Inference;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Sdk.Tests.Inference;

/// <summary>
/// Provider selection against the real native library of whichever package the build references: the CPU package
/// in the default build (CI's tests), the GPU package with <c>-p:EdgeGpu=true</c> (CI's GPU check runs these too).
/// Nothing is faked: on a machine without a GPU, the GPU package's providers are listed but cannot load.
/// </summary>
public sealed class ProviderFallbackTests
{
    [Fact]
    public void BuildProviders_ThisPackage_ListsExactlyTheGpuProvidersItShips()
    {
        var providers = SessionFactory.BuildProviders();

        Assert.Contains("CPUExecutionProvider", providers);
        Assert.Equal(OnnxRuntimePackage.IsGpu, providers.Contains("CUDAExecutionProvider"));
        Assert.Equal(OnnxRuntimePackage.IsGpu, providers.Contains("TensorrtExecutionProvider"));
    }

    [Fact]
    public void BuildProviders_NativeLibrary_MatchesTheManagedApiVersion()
    {
        // Directory.Packages.props pins one version for the managed API and either native package; a native library
        // left over from another version (or a system one loaded instead) would show here.
        var managed = typeof(InferenceSession).Assembly.GetName().Version!;

        Assert.Equal($"{managed.Major}.{managed.Minor}.{managed.Build}", OrtEnv.Instance().GetVersionString());
    }

    [NoUsableGpuFact]
    public void Load_AutoWithoutUsableGpu_RunsOnCpuAndLogsAReasonForTensorRtAndCuda()
    {
        var logs = new ListLoggerFactory();
        var output = new float[10];

        using var session = EdgeSession.Load(TestModels.Mnist, new EdgeSessionOptions(), logs);
        session.Run<float, float>(TestModels.MnistInputSet(0), output);

        Assert.Equal(ExecutionProvider.Cpu, session.Provider);
        TestModels.AssertClose(TestModels.MnistOutputSet(0), output, 1e-4f);
        AssertSkipExplained(logs, "TensorRT");
        AssertSkipExplained(logs, "Cuda");
        Assert.Contains(logs.Lines, l => l.Contains("on Cpu", StringComparison.Ordinal));
    }

    [NoUsableGpuFact]
    public void Load_ExplicitCudaWithoutUsableGpu_ThrowsProviderUnavailableNamingCuda()
    {
        var options = new EdgeSessionOptions { Provider = ExecutionProvider.Cuda };

        var error = Assert.Throws<ExecutionProviderUnavailableException>(() => EdgeSession.Load(TestModels.Mnist, options));

        Assert.Equal(ExecutionProvider.Cuda, error.Provider);
        Assert.Contains("CUDA", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [CpuPackageFact]
    public void Create_AutoOnCpuPackageWithCudaListed_CatchesTheAppendFailureAndFallsBackToCpu()
    {
        // The CPU package cannot append CUDA. Measured on 1.31.1 and 1.32.0 alike: the OrtCUDAProviderOptions overload
        // the SDK calls throws OnnxRuntimeException "CUDA execution provider is not enabled in this build"; the
        // AppendExecutionProvider_CUDA(int) overload throws EntryPointNotFoundException (hence the SDK's broad catch).
        // Either way the fallback must happen and the log must name the real failure.
        var logs = new ListLoggerFactory();
        string[] providers = ["CUDAExecutionProvider", "CPUExecutionProvider"];

        using var session = EdgeSession.Create(ModelSource.FromFile(TestModels.Mnist), new EdgeSessionOptions(), logs, providers);

        Assert.Equal(ExecutionProvider.Cpu, session.Provider);
        var line = Assert.Single(logs.Lines, l => l.StartsWith("Warning: Skipped Cuda", StringComparison.Ordinal));
        Assert.Contains("could not be set up", line, StringComparison.Ordinal);
        Assert.True(
            line.Contains(nameof(EntryPointNotFoundException), StringComparison.Ordinal) || line.Contains(nameof(OnnxRuntimeException), StringComparison.Ordinal),
            $"The log should name the exception that appending CUDA threw: '{line}'.");
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", line, StringComparison.Ordinal);
    }

    private static void AssertSkipExplained(ListLoggerFactory logs, string provider)
    {
        var prefix = $"Skipped {provider} for ";
        var line = Assert.Single(logs.Lines, l => l.Contains(prefix, StringComparison.Ordinal));
        var reason = line[(line.IndexOf(": ", line.IndexOf(prefix, StringComparison.Ordinal), StringComparison.Ordinal) + 2)..];
        Assert.True(reason.Length > 20, $"The reason for skipping {provider} says too little: '{line}'.");
    }
}
