using System.Threading.Channels;
using Edge.Agent.Ota.Shadow;
using Edge.Agent.Tests.Ota.Support;
using Edge.Sdk.Inference;

namespace Edge.Agent.Tests.Ota.Shadow;

/// <summary>The tap on the served host: which calls it samples, and that a full queue drops and counts instead of waiting.</summary>
public sealed class ShadowTapTests
{
    [Fact]
    public void OnRun_HalfTheCalls_SampledEveryOther_FullQueueDropsAndCounts()
    {
        using var session = Load("mnist", "1.0.0");
        var queue = Channel.CreateBounded<ShadowSample>(new BoundedChannelOptions(2) { FullMode = BoundedChannelFullMode.Wait });
        var tap = new ShadowTap(0.5, "mnist", "1.0.0", queue.Writer);
        var input = new float[784];
        var output = new float[10];

        for (var i = 0; i < 20; i++)
        {
            output[0] = i;
            tap.OnRun<float, float>(session, input, output);
        }

        // Nobody reads: two samples queue, the other eight of the ten chosen are dropped, and no call waited.
        Assert.Equal((10, 8), (tap.Sampled, tap.Dropped));
        Assert.Equal(2, queue.Reader.Count);
        Assert.True(queue.Reader.TryRead(out var first));
        Assert.Equal(1, first.ServedOutput()[0]);
    }

    [Fact]
    public void OnRun_AnotherModelsSession_Ignored()
    {
        using var other = Load("mnist", "0.9.0");
        var queue = Channel.CreateBounded<ShadowSample>(4);
        var tap = new ShadowTap(1, "mnist", "1.0.0", queue.Writer);

        tap.OnRun<float, float>(other, new float[784], new float[10]);

        Assert.Equal((0, 0), (tap.Sampled, tap.Dropped));
    }

    [Fact]
    public void Sample_RunCandidate_SameInput_GivesTheSameAnswerAsTheServedModel()
    {
        using var session = Load("mnist", "1.0.0");
        var input = new float[784];
        input[300] = 1;
        var served = new float[10];
        session.Run<float, float>(input, served);
        var queue = Channel.CreateBounded<ShadowSample>(1);
        new ShadowTap(1, "mnist", "1.0.0", queue.Writer).OnRun<float, float>(session, input, served);
        Assert.True(queue.Reader.TryRead(out var sample));

        using var candidate = Load("mnist", "2.0.0");
        Assert.Equal(served, sample.RunCandidate(candidate));
    }

    private static EdgeSession Load(string name, string version) =>
        EdgeSession.Load(OtaModels.MnistPath, new EdgeSessionOptions { Provider = ExecutionProvider.Cpu, Cpu = { IntraOpThreads = 1 }, ModelName = name, ModelVersion = version });
}
