using Edge.Agent.Ota.Engines;
using Edge.Packaging;
using Edge.Sdk;
using Edge.Sdk.Inference;
using Edge.TestUtilities;

namespace Edge.Agent.Tests.Ota.Engines;

public sealed class TensorRtEngineWarmerTests
{
    [Theory]
    [InlineData(ExecutionProvider.Cpu, false)]
    [InlineData(ExecutionProvider.Cuda, false)]
    [InlineData(ExecutionProvider.TensorRT, true)]
    public void Applies_Provider_OnlyTensorRtBuildsEngines(ExecutionProvider provider, bool expected)
    {
        var warmer = new TensorRtEngineWarmer(Device("CPUExecutionProvider"));

        Assert.Equal(expected, warmer.Applies(new EdgeSessionOptions { Provider = provider }));
    }

    [Theory]
    [InlineData(new[] { "CPUExecutionProvider" }, false)]
    [InlineData(new[] { "TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider" }, true)]
    public void Applies_AutoProvider_OnlyWhereOnnxRuntimeHasTensorRt(string[] providers, bool expected)
    {
        var warmer = new TensorRtEngineWarmer(Device(providers));

        Assert.Equal(expected, warmer.Applies(new EdgeSessionOptions { Provider = ExecutionProvider.Auto }));
    }

    [Fact]
    public void Warm_NoCacheFolder_Throws()
    {
        var warmer = new TensorRtEngineWarmer(Device("CPUExecutionProvider"));

        var e = Assert.Throws<ArgumentException>(() => warmer.Warm(TestData.File("models/mnist/mnist.onnx"), new EdgeSessionOptions { Provider = ExecutionProvider.TensorRT }, CancellationToken.None));
        Assert.Contains("EngineCacheDirectory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Warm_TensorRtMissing_ThrowsEdgeExceptionNamingTheProvider()
    {
        // This machine's ONNX Runtime has no TensorRT: the real path fails the way a device without it would.
        var cache = Directory.CreateTempSubdirectory("edge-engines-").FullName;
        try
        {
            var warmer = new TensorRtEngineWarmer(Device("CPUExecutionProvider"));
            var options = new EdgeSessionOptions { Provider = ExecutionProvider.TensorRT, TensorRt = { EngineCacheDirectory = cache } };

            var e = Assert.ThrowsAny<EdgeException>(() => warmer.Warm(TestData.File("models/mnist/mnist.onnx"), options, CancellationToken.None));
            Assert.Contains("TensorRT", e.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    private static Lazy<PackageDeviceDescription> Device(params string[] providers) =>
        new(() => new PackageDeviceDescription("X64", providers, PackageDeviceDescription.CurrentSdkVersion));
}
