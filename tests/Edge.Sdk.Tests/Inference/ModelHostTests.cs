using System.Collections.Concurrent;
using Edge.Sdk.Inference;

namespace Edge.Sdk.Tests.Inference;

public sealed class ModelHostTests
{
    [Fact]
    public async Task SwapAsync_WhileEightThreadsRun_NoCallFailsEveryOutputIsCorrectAndOldSessionsAreDisposed()
    {
        var inputs = Enumerable.Range(0, 3).Select(TestModels.MnistInputSet).ToArray();
        var expected = Enumerable.Range(0, 3).Select(TestModels.MnistOutputSet).ToArray();
        var created = new ConcurrentQueue<EdgeSession>();
        var first = EdgeSession.Load(TestModels.Mnist, new EdgeSessionOptions { ModelVersion = "0" });
        created.Enqueue(first);
        using var host = new ModelHost(first);
        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentQueue<string>();
        long calls = 0;

        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            var output = new float[10];
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var set = (worker + i) % 3;
                try
                {
                    host.Run<float, float>(inputs[set], output);
                    for (var k = 0; k < 10; k++)
                    {
                        if (Math.Abs(output[k] - expected[set][k]) > 1e-4f)
                        {
                            failures.Enqueue($"worker {worker} set {set} element {k}: {output[k]} != {expected[set][k]}");
                            break;
                        }
                    }

                    Interlocked.Increment(ref calls);
                }
#pragma warning disable CA1031 // The test records every failure instead of stopping at the first.
                catch (Exception error)
#pragma warning restore CA1031
                {
                    failures.Enqueue($"worker {worker}: {error}");
                }
            }
        })).ToArray();

        for (var swap = 1; swap <= 20; swap++)
        {
            var path = swap % 2 == 1 ? TestModels.MnistOpset15 : TestModels.Mnist;
            var version = swap.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await host.SwapAsync(ct => Task.Run(() =>
            {
                var next = EdgeSession.Load(path, new EdgeSessionOptions { ModelVersion = version });
                created.Enqueue(next);
                return next;
            }, ct));
            await Task.Delay(10);
        }

        await Task.Delay(50);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.Empty(failures);
        Assert.True(Interlocked.Read(ref calls) > 100, $"Only {calls} calls ran during the swaps.");
        Assert.Equal(20, host.SwapCount);
        var sessions = created.ToArray();
        Assert.Equal(21, sessions.Length);
        foreach (var retired in sessions[..^1])
        {
            await WaitUntilDisposedAsync(retired);
        }

        Assert.False(sessions[^1].IsDisposed);
        using var lease = host.Acquire();
        Assert.Equal("20", lease.Session.ModelVersion);
    }

    [Fact]
    public async Task SwapAsync_NewModelFailsToLoad_KeepsServingTheCurrentOne()
    {
        using var host = ModelHost.Load(TestModels.Mnist);
        var output = new float[10];

        await Assert.ThrowsAsync<ModelLoadException>(() => host.SwapAsync("/nonexistent/next.onnx"));
        host.Run<float, float>(TestModels.MnistInputSet(0), output);

        TestModels.AssertClose(TestModels.MnistOutputSet(0), output, 1e-4f);
        Assert.Equal(0, host.SwapCount);
    }

    [Fact]
    public async Task SwapAsync_LeaseHeldAcrossSwap_OldSessionDisposedOnlyWhenLeaseEnds()
    {
        using var host = ModelHost.Load(TestModels.Mnist);
        var lease = host.Acquire();
        var old = lease.Session;

        await host.SwapAsync(TestModels.MnistOpset15);
        var output = new float[10];
        old.Run<float, float>(TestModels.MnistInputSet(1), output);
        Assert.False(old.IsDisposed);
        lease.Dispose();

        await WaitUntilDisposedAsync(old);
        TestModels.AssertClose(TestModels.MnistOutputSet(1), output, 1e-4f);
        using var current = host.Acquire();
        Assert.Equal("mnist_opset15", current.Session.ModelName);
    }

    [Fact]
    public void Dispose_ThenRun_ThrowsObjectDisposed()
    {
        var host = ModelHost.Load(TestModels.Mnist);
        host.Dispose();
        host.Dispose();

        Assert.Throws<ObjectDisposedException>(() => host.Run<float, float>(TestModels.MnistInputSet(0), new float[10]));
    }

    /// <summary>The last lease disposes a retired session on the thread pool, so the test waits for it (bounded).</summary>
    private static async Task WaitUntilDisposedAsync(EdgeSession session)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!session.IsDisposed && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        Assert.True(session.IsDisposed, $"Session version {session.ModelVersion} was swapped out but not disposed within 10 s.");
    }
}
