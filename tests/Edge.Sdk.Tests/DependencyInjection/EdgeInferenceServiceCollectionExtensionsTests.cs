using Edge.Sdk.Devices;
using Edge.Sdk.Inference;
using Edge.Sdk.Tests.Inference;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Edge.Sdk.Tests.DependencyInjection;

public sealed class EdgeInferenceServiceCollectionExtensionsTests
{
    [Fact]
    public void AddEdgeInference_ValidOptions_ResolvesOneWorkingModelHost()
    {
        var services = new ServiceCollection().AddEdgeInference(o =>
        {
            o.ModelPath = TestModels.Mnist;
            o.Session.ModelVersion = "2";
        });
        using var provider = services.BuildServiceProvider();

        var host = provider.GetRequiredService<ModelHost>();
        var output = new float[10];
        host.Run<float, float>(TestModels.MnistInputSet(0), output);

        Assert.Same(host, provider.GetRequiredService<ModelHost>());
        Assert.NotNull(provider.GetRequiredService<DeviceMonitor>());
        TestModels.AssertClose(TestModels.MnistOutputSet(0), output, 1e-4f);
        using var lease = host.Acquire();
        Assert.Equal("2", lease.Session.ModelVersion);
    }

    [Fact]
    public void AddEdgeInference_InvalidOptions_ListsEveryProblem()
    {
        var services = new ServiceCollection().AddEdgeInference(o =>
        {
            o.ModelPath = "/nonexistent/model.onnx";
            o.Session.WarmupRuns = 5000;
            o.Session.Cpu.IntraOpThreads = -1;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ModelHost>());

        Assert.Equal(3, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("/nonexistent/model.onnx", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Session.WarmupRuns must be in 0..1000, but was 5000", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Session.Cpu.IntraOpThreads", StringComparison.Ordinal));
    }

    [Fact]
    public void AddEdgeInference_DisposingContainer_DisposesTheSession()
    {
        var provider = new ServiceCollection().AddEdgeInference(o => o.ModelPath = TestModels.Mnist).BuildServiceProvider();
        var host = provider.GetRequiredService<ModelHost>();
        EdgeSession session;
        using (var lease = host.Acquire())
        {
            session = lease.Session;
        }

        provider.Dispose();

        Assert.True(session.IsDisposed);
    }
}
