using Edge.Sdk.Inference;

namespace Edge.Sdk.Tests.Inference;

[Collection(SerialTests.Name)]
public sealed class ZeroAllocationTests
{
    private const int WarmupRuns = 20;
    private const int MeasuredRuns = 200;

    [Fact]
    public void Request_SteadyStateRunsOnMnist_AllocateNothing()
    {
        using var session = EdgeSession.Load(TestModels.Mnist);
        using var request = session.CreateRequest();
        var input = TestModels.MnistInputSet(0);
        var checksum = 0f;

        var allocated = MeasureAllocations(() =>
        {
            request.SetInput<float>(TestModels.MnistInput, input);
            request.Run();
            checksum += request.GetOutput<float>(TestModels.MnistOutput)[7];
        });

        Assert.Equal(0, allocated);
        TestModels.AssertClose(TestModels.MnistOutputSet(0), request.GetOutput<float>(TestModels.MnistOutput), 1e-4f);
        Assert.NotEqual(0f, checksum);
    }

    [Fact]
    public void SessionRun_SteadyStateOnSqueezenet_AllocatesNothing()
    {
        using var session = EdgeSession.Load(TestModels.Squeezenet);
        var input = TestModels.ReadFloats("models/classifiers/squeezenet1.0/test_data_set_0/input_0.pb");
        var expected = TestModels.ReadFloats("models/classifiers/squeezenet1.0/test_data_set_0/output_0.pb");
        var output = new float[1000];

        var allocated = MeasureAllocations(() => session.Run<float, float>(input, output), measured: 50);

        Assert.Equal(0, allocated);
        TestModels.AssertClose(expected, output, 1e-3f);
    }

    [Fact]
    public void ModelHostRun_SteadyStateOnMnist_AllocatesNothing()
    {
        using var host = ModelHost.Load(TestModels.Mnist);
        var input = TestModels.MnistInputSet(2);
        var output = new float[10];

        var allocated = MeasureAllocations(() => host.Run<float, float>(input, output));

        Assert.Equal(0, allocated);
        TestModels.AssertClose(TestModels.MnistOutputSet(2), output, 1e-4f);
    }

    private static long MeasureAllocations(Action run, int measured = MeasuredRuns)
    {
        for (var i = 0; i < WarmupRuns; i++)
        {
            run();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < measured; i++)
        {
            run();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
