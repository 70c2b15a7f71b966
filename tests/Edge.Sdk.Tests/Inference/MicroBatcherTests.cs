using Edge.Sdk.Inference;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Sdk.Tests.Inference;

public sealed class MicroBatcherTests
{
    private const int SequenceLength = 7;

    /// <summary>The model's input names in declaration order, read once from the model itself.</summary>
    private static readonly Lazy<string[]> LazyInputOrder = new(() =>
    {
        using var session = EdgeSession.Load(TestModels.BertQa, new EdgeSessionOptions { WarmupRuns = 0 });
        return [.. session.Inputs.Select(i => i.Name)];
    });

    private static string[] InputOrder => LazyInputOrder.Value;

    [Fact]
    public async Task RunAsync_ConcurrentCallers_EachGetsTheSameResultAsAnUnbatchedRun()
    {
        using var host = ModelHost.Load(TestModels.BertQa);
        var samples = Enumerable.Range(0, 24).Select(Sample).ToArray();
        var expected = samples.Select(s => RunUnbatched(host, s)).ToArray();
        await using var batcher = new MicroBatcher<int, float>(host, new MicroBatcherOptions { MaxBatchSize = 8, MaxDelay = TimeSpan.FromMilliseconds(20) });
        using var start = new ManualResetEventSlim();

        var callers = samples.Select(sample => Task.Run(async () =>
        {
            start.Wait();
            return await batcher.RunAsync(sample);
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(callers);

        for (var i = 0; i < samples.Length; i++)
        {
            Assert.Equal(2, results[i].Length);
            TestModels.AssertClose(expected[i][0], results[i][0], 1e-4f);
            TestModels.AssertClose(expected[i][1], results[i][1], 1e-4f);
        }

        Assert.True(expected.Select(e => e[0][0]).Distinct().Count() > 1, "Samples must differ, or slicing errors could not show.");
        Assert.InRange(batcher.BatchesRun, 3, samples.Length - 1);
    }

    [Fact]
    public async Task RunAsync_FewerThanMaxBatch_WaitsForTheTimeProviderDelay()
    {
        using var host = ModelHost.Load(TestModels.BertQa);
        var time = new FakeTimeProvider();
        await using var batcher = new MicroBatcher<int, float>(host, new MicroBatcherOptions { MaxBatchSize = 4, MaxDelay = TimeSpan.FromSeconds(5), TimeProvider = time });

        var pending = batcher.RunAsync(Sample(3));
        await Task.Delay(200);
        Assert.False(pending.IsCompleted, "The batch ran before its delay elapsed on the injected clock.");
        for (var i = 0; i < 500 && !pending.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        var result = await pending;
        TestModels.AssertClose(RunUnbatched(host, Sample(3))[0], result[0], 1e-4f);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileQueued_CancelsOnlyThatCallerAndTheBatchStillRuns()
    {
        using var host = ModelHost.Load(TestModels.BertQa);
        var time = new FakeTimeProvider();
        await using var batcher = new MicroBatcher<int, float>(host, new MicroBatcherOptions { MaxBatchSize = 4, MaxDelay = TimeSpan.FromSeconds(5), TimeProvider = time });
        using var cancel = new CancellationTokenSource();

        var cancelled = batcher.RunAsync(Sample(1), cancel.Token);
        var kept = batcher.RunAsync(Sample(2));
        await cancel.CancelAsync();
        for (var i = 0; i < 500 && !kept.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var result = await kept;
        TestModels.AssertClose(RunUnbatched(host, Sample(2))[0], result[0], 1e-4f);
    }

    [Fact]
    public async Task RunAsync_WrongSampleSize_FailsOnlyThatCaller()
    {
        using var host = ModelHost.Load(TestModels.BertQa);
        await using var batcher = new MicroBatcher<int, float>(host, new MicroBatcherOptions { MaxBatchSize = 2, MaxDelay = TimeSpan.FromMilliseconds(50) });
        var bad = Sample(1);
        bad[0] = new int[5];

        var badTask = batcher.RunAsync(bad);
        var goodTask = batcher.RunAsync(Sample(2));

        var error = await Assert.ThrowsAsync<InputMismatchException>(() => badTask);
        Assert.Contains("7 elements", error.Expected, StringComparison.Ordinal);
        Assert.Equal("5 elements", error.Actual);
        var good = await goodTask;
        TestModels.AssertClose(RunUnbatched(host, Sample(2))[0], good[0], 1e-4f);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        using var host = ModelHost.Load(TestModels.Mnist);

        var error = Assert.Throws<ArgumentException>(() => new MicroBatcher<float, float>(
            host, new MicroBatcherOptions { MaxBatchSize = 0, MaxDelay = TimeSpan.FromSeconds(-1) }));

        Assert.Contains("2 problem(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxBatchSize must be in 1..4096, but was 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxDelay", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Token ids below 20 (the toy vocabulary), a mask and segment ids: the model's three int32[batch x 7] inputs.</summary>
    private static ReadOnlyMemory<int>[] Sample(int seed)
    {
        var random = new Random(seed);
        var ids = Enumerable.Range(0, SequenceLength).Select(_ => random.Next(1, 20)).ToArray();
        var mask = Enumerable.Range(0, SequenceLength).Select(i => i < 4 + (seed % 4) ? 1 : 0).ToArray();
        var segments = Enumerable.Range(0, SequenceLength).Select(i => i < 3 ? 0 : 1).ToArray();
        var byName = new Dictionary<string, int[]> { ["input_ids"] = ids, ["attention_mask"] = mask, ["token_type_ids"] = segments };
        return [.. InputOrder.Select(name => (ReadOnlyMemory<int>)byName[name])];
    }

    private static float[][] RunUnbatched(ModelHost host, ReadOnlyMemory<int>[] sample)
    {
        using var lease = host.Acquire();
        using var request = lease.Session.CreateRequest();
        for (var i = 0; i < sample.Length; i++)
        {
            request.SetInput(lease.Session.Inputs[i].Name, sample[i], [1, SequenceLength]);
        }

        request.Run();
        return [.. lease.Session.Outputs.Select(o => request.GetOutput<float>(o.Name).ToArray())];
    }
}
