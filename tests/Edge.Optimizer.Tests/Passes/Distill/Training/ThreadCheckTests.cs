using Edge.Optimizer.Passes.Distill.Training;
using TorchSharp;
using TorchSharp.Modules;

namespace Edge.Optimizer.Tests.Passes.Distill.Training;

public sealed class ThreadCheckTests
{
    [Fact]
    public void Run_KernelsThatAgree_KeepsTheRequestedThreads()
    {
        using var weight = new Parameter(torch.linspace(-1, 1, 64), requires_grad: true);

        var result = ThreadCheck.Run(2, () => (weight * weight * 3).sum(), [weight], () => { });

        Assert.Equal(2, result.Threads);
        Assert.Null(result.Note);
        Assert.True(result.FirstDifference <= ThreadCheck.Tolerance, $"difference {result.FirstDifference}");
        Assert.Equal(2, torch.get_num_threads());
    }

    /// <summary>
    /// A kernel that races at more than one thread (simulated: its gradient is off by up to 5% whenever libtorch runs
    /// with several threads, as a real race would be) is caught: oneDNN off does not help it, so training falls back
    /// to one thread, says why, and oneDNN is switched back on.
    /// </summary>
    [Fact]
    public void Run_KernelThatDiffersAtTwoThreads_FallsBackToOneThreadAndSaysWhy()
    {
        using var weight = new Parameter(torch.linspace(-1, 1, 64), requires_grad: true);
        var random = new Random(1);
        var restored = 0;

        var result = ThreadCheck.Run(2, () =>
        {
            var noise = torch.get_num_threads() > 1 ? 1 + ((random.NextDouble() - 0.5) * 0.1) : 1;
            return (weight * weight * noise).sum();
        }, [weight], () => restored++);

        Assert.Equal(1, result.Threads);
        Assert.Equal(1, torch.get_num_threads());
        Assert.True(result.FirstDifference > ThreadCheck.Tolerance);
        Assert.Contains("training runs at one thread", result.Note, StringComparison.Ordinal);
        Assert.True(result.OneDnn, "oneDNN must be switched back on when turning it off did not help");
        Assert.True(restored >= 2 * (ThreadCheck.Repetitions + 1), $"state restored {restored} times");
        Assert.All(weight.grad is null ? [] : weight.grad.data<float>().ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void OneDnnSwitch_TurnedOffAndOn_ReachesLibtorchsFlag()
    {
        Assert.True(OneDnnSwitch.Enabled);
        try
        {
            Assert.True(OneDnnSwitch.TrySet(false));
            Assert.False(OneDnnSwitch.Enabled);
        }
        finally
        {
            Assert.True(OneDnnSwitch.TrySet(true));
        }

        Assert.True(OneDnnSwitch.Enabled);
    }
}
