using Edge.Agent.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Agent.Tests.Hosting;

public sealed class AsyncSignalTests
{
    [Fact]
    public async Task WaitAsync_SetBefore_ReturnsTrueAtOnceAndConsumesTheSignal()
    {
        var signal = new AsyncSignal();
        var time = new FakeTimeProvider();
        signal.Set();
        signal.Set(); // coalesces

        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(1), time, CancellationToken.None));
        var second = signal.WaitAsync(TimeSpan.FromSeconds(1), time, CancellationToken.None);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await second);
    }

    [Fact]
    public async Task WaitAsync_SetWhileWaiting_ReturnsTrueBeforeTheTimeout()
    {
        var signal = new AsyncSignal();
        var time = new FakeTimeProvider();

        var wait = signal.WaitAsync(TimeSpan.FromMinutes(1), time, CancellationToken.None);
        signal.Set();

        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task WaitAsync_CallerCancels_ThrowsOperationCanceled()
    {
        var signal = new AsyncSignal();
        using var cancel = new CancellationTokenSource();

        var wait = signal.WaitAsync(Timeout.InfiniteTimeSpan, TimeProvider.System, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
