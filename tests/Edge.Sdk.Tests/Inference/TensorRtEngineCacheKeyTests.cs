using System.Security.Cryptography;
using Edge.Sdk.Inference;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Sdk.Tests.Inference;

public sealed class TensorRtEngineCacheKeyTests
{
    private static readonly byte[] HashA = SHA256.HashData("a"u8);
    private static readonly byte[] HashB = SHA256.HashData("b"u8);

    [Fact]
    public void Compute_SameInputs_GivesSameKey()
    {
        Assert.Equal(
            TensorRtEngineCacheKey.Compute(8, 7, "10.3.0", HashA),
            TensorRtEngineCacheKey.Compute(8, 7, "10.3.0", HashA));
        Assert.Equal("sm87_trt10.3.0_" + Convert.ToHexStringLower(HashA)[..16], TensorRtEngineCacheKey.Compute(8, 7, "10.3.0", HashA));
    }

    [Fact]
    public void Compute_AnyComponentDiffers_GivesDifferentKey()
    {
        var baseline = TensorRtEngineCacheKey.Compute(8, 7, "10.3.0", HashA);

        Assert.NotEqual(baseline, TensorRtEngineCacheKey.Compute(7, 2, "10.3.0", HashA)); // Xavier vs Orin
        Assert.NotEqual(baseline, TensorRtEngineCacheKey.Compute(8, 6, "10.3.0", HashA));
        Assert.NotEqual(baseline, TensorRtEngineCacheKey.Compute(8, 7, "8.6.2", HashA));
        Assert.NotEqual(baseline, TensorRtEngineCacheKey.Compute(8, 7, "10.3.0", HashB));
    }

    [Fact]
    public void Compute_HashNotSha256Sized_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => TensorRtEngineCacheKey.Compute(8, 7, "10.3.0", new byte[20]));

        Assert.Contains("32 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("was 20", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100300, "10.3.0")]
    [InlineData(100801, "10.8.1")]
    [InlineData(8602, "8.6.2")]
    [InlineData(8510, "8.5.10")]
    public void DecodeTensorRtVersion_LibraryEncoding_GivesDottedVersion(int encoded, string expected) =>
        Assert.Equal(expected, TensorRtEngineCacheKey.DecodeTensorRtVersion(encoded));

    [Fact]
    public void ResolveEngineCachePath_ProbeAnswers_KeysFolderByModelSha256()
    {
        var factory = new SessionFactory(["CPUExecutionProvider"], new FakeProbe((8, 7), "10.3.0"), NullLogger.Instance);
        var options = new EdgeSessionOptions { TensorRt = { EngineCacheDirectory = "/var/cache/edge" } };

        var path = factory.ResolveEngineCachePath(ModelSource.FromFile(TestModels.Mnist), options);

        // sha256 of mnist.onnx from models/manifest.json: 2f06e72de813a8635c9bc0397ac447a601bdbfa7df4bebc278723b958831c9bf
        Assert.Equal("/var/cache/edge/sm87_trt10.3.0_2f06e72de813a863", path);
    }

    [Fact]
    public void ResolveEngineCachePath_NoGpuLibraries_DisablesCacheWithWarning()
    {
        var logs = new ListLoggerFactory();
        var factory = new SessionFactory(["CPUExecutionProvider"], new FakeProbe(null, "10.3.0"), logs.CreateLogger("test"));
        var options = new EdgeSessionOptions { TensorRt = { EngineCacheDirectory = "/var/cache/edge" } };

        var path = factory.ResolveEngineCachePath(ModelSource.FromFile(TestModels.Mnist), options);

        Assert.Null(path);
        Assert.Contains(logs.Lines, l => l.Contains("engine cache disabled", StringComparison.Ordinal) && l.Contains("compute capability", StringComparison.Ordinal));
    }

    [Fact]
    public void NvidiaRuntimeProbe_OnThisMachine_AnswersWithoutThrowing()
    {
        // On CI there is no libcudart or libnvinfer, so both are null; on a GPU machine both must be set.
        var capability = NvidiaRuntimeProbe.Instance.ComputeCapability(0);
        var version = NvidiaRuntimeProbe.Instance.TensorRtVersion();

        if (Environment.GetEnvironmentVariable("EDGE_GPU_TESTS") == "1")
        {
            Assert.NotNull(capability);
        }
        else
        {
            Assert.True(capability is null || capability.Value.Major >= 3, $"Implausible compute capability {capability}.");
            Assert.True(version is null || version.Contains('.', StringComparison.Ordinal), $"Implausible TensorRT version {version}.");
        }
    }

    private sealed class FakeProbe((int Major, int Minor)? capability, string? version) : IGpuProbe
    {
        public (int Major, int Minor)? ComputeCapability(int deviceId) => capability;

        public string? TensorRtVersion() => version;
    }
}
