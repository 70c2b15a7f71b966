using Edge.Agent.Ota.Transfer;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Agent.Tests.Ota.Transfer;

public class TransferThrottleTests
{
    [Fact]
    public async Task WaitAsync_BytesAboveTheRate_WaitsForTheBookedTime()
    {
        var time = new FakeTimeProvider();
        var throttle = new TransferThrottle(1000, time);

        await throttle.WaitAsync(500, CancellationToken.None); // first booking starts now
        var second = throttle.WaitAsync(500, CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
