using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter, decoupled weight decay), as PyTorch defines it: β1 0.9, β2 0.999, ε 1e-8, with
/// bias correction; weight decay multiplies the weights by 1 − lr·λ before the Adam update.
/// </summary>
internal sealed class AdamWOptimizer : TrainingOptimizer
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;
    private readonly double weightDecay;
    private readonly Tensor[] firstMoments;
    private readonly Tensor[] secondMoments;

    public AdamWOptimizer(IReadOnlyList<Parameter> parameters, double weightDecay)
        : base(parameters)
    {
        this.weightDecay = weightDecay;
        firstMoments = [.. parameters.Select(p => torch.zeros_like(p).DetachFromDisposeScope())];
        secondMoments = [.. parameters.Select(p => torch.zeros_like(p).DetachFromDisposeScope())];
    }

    protected override void Update(double learningRate)
    {
        var correction1 = 1 - Math.Pow(Beta1, Steps);
        var correction2 = 1 - Math.Pow(Beta2, Steps);
        using var decay = (1 - (learningRate * weightDecay)).ToScalar();
        using var beta1 = Beta1.ToScalar();
        using var oneMinusBeta1 = (1 - Beta1).ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var oneMinusBeta2 = (1 - Beta2).ToScalar();
        using var sqrtCorrection2 = Math.Sqrt(correction2).ToScalar();
        using var epsilon = Epsilon.ToScalar();
        using var stepSize = (-learningRate / correction1).ToScalar();
        for (var i = 0; i < Parameters.Count; i++)
        {
            var parameter = Parameters[i];
            if (parameter.grad is not { } grad)
            {
                continue;
            }

            parameter.mul_(decay);
            firstMoments[i].mul_(beta1).add_(grad, oneMinusBeta1);
            secondMoments[i].mul_(beta2).addcmul_(grad, grad, oneMinusBeta2);
            var denominator = secondMoments[i].sqrt().div_(sqrtCorrection2).PlusInPlace(epsilon);
            parameter.addcdiv_(firstMoments[i], denominator, stepSize);
        }
    }

    protected override IReadOnlyList<Tensor> State() => [.. firstMoments, .. secondMoments];
}
