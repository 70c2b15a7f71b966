using System.Threading.Channels;
using Edge.Agent.Sampling;

namespace Edge.Agent.Tests.Sampling;

/// <summary>The observers' shared sampler: which calls it chooses, exact counts from many threads, drops when full.</summary>
public sealed class CallSamplerTests
{
    [Fact]
    public void Choose_TenPercent_ChoosesEveryTenthCall()
    {
        var sampler = new CallSampler();

        var chosen = Enumerable.Range(1, 100).Where(_ => sampler.Choose(0.1)).ToList();

        Assert.Equal(10, chosen.Count);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 10), chosen);
        Assert.Equal((100L, 10L), (sampler.Seen, sampler.Sampled));
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0, 40_000)]
    [InlineData(0.25, 10_000)]
    public void Choose_FromFourThreadsAtOnce_CountsEveryCallExactly(double fraction, long expected)
    {
        var sampler = new CallSampler();
        long chosen = 0;

        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                if (sampler.Choose(fraction))
                {
                    Interlocked.Increment(ref chosen);
                }
            }
        });

        // Whatever the interleaving, the running count crosses each multiple of 1 / fraction exactly once.
        Assert.Equal((40_000L, expected, expected), (sampler.Seen, sampler.Sampled, chosen));
    }

    [Fact]
    public void Offer_FullQueue_DropsAndCountsInsteadOfWaiting()
    {
        var sampler = new CallSampler();
        var queue = Channel.CreateBounded<int>(new BoundedChannelOptions(2) { FullMode = BoundedChannelFullMode.Wait });

        for (var i = 0; i < 5; i++)
        {
            sampler.Offer(queue.Writer, i);
        }

        Assert.Equal(3, sampler.Dropped);
        Assert.True(queue.Reader.TryRead(out var first) && first == 0);
        Assert.True(queue.Reader.TryRead(out var second) && second == 1);
        Assert.False(queue.Reader.TryRead(out _));
    }
}
