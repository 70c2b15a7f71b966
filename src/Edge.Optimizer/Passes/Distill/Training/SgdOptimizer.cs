using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// SGD with momentum, as PyTorch defines it (no dampening, not Nesterov): the gradient plus λ·w feeds a momentum
/// buffer that starts as the first gradient, and the weights move by −lr times the buffer.
/// </summary>
internal sealed class SgdOptimizer : TrainingOptimizer
{
    private readonly double momentum;
    private readonly double weightDecay;
    private readonly Tensor[] buffers;

    public SgdOptimizer(IReadOnlyList<Parameter> parameters, double momentum, double weightDecay)
        : base(parameters)
    {
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        buffers = [.. parameters.Select(p => torch.zeros_like(p).DetachFromDisposeScope())];
    }

    protected override void Update(double learningRate)
    {
        using var decay = weightDecay.ToScalar();
        using var keep = momentum.ToScalar();
        using var rate = (-learningRate).ToScalar();
        for (var i = 0; i < Parameters.Count; i++)
        {
            var parameter = Parameters[i];
            if (parameter.grad is not { } grad)
            {
                continue;
            }

            // The buffer starts at zero, so the first step leaves it equal to the first direction, as PyTorch's does.
            var direction = grad.add(parameter, decay);
            buffers[i].mul_(keep).PlusInPlace(direction);

            parameter.add_(buffers[i], rate);
        }
    }

    protected override IReadOnlyList<Tensor> State() => [.. buffers];
}
