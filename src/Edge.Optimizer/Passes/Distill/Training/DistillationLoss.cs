using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// α · T² · KL(softmax(teacher/T) ‖ softmax(student/T)) + (1 − α) · CE(student, labels) when labels are given, plus
/// a weighted mean-squared hint loss on matched feature maps. Without labels the KL term has weight 1.
/// </summary>
internal static class DistillationLoss
{
    public static Tensor Compute(Tensor studentLogits, Tensor teacherLogits, Tensor? labels, double temperature, double alpha)
    {
        // Explicit scalars, alive until each call returns (see TrainingOptimizer on TorchSharp's temporaries).
        using var t = temperature.ToScalar();
        using var scale = (temperature * temperature / studentLogits.shape[0]).ToScalar();
        using var kdWeight = alpha.ToScalar();
        using var ceWeight = (1 - alpha).ToScalar();
        var student = studentLogits.reshape(studentLogits.shape[0], -1);
        var teacher = teacherLogits.reshape(teacherLogits.shape[0], -1);
        var kd = F.kl_div(F.log_softmax(student.div(t), 1), F.log_softmax(teacher.div(t), 1), log_target: true, reduction: nn.Reduction.Sum).mul(scale);
        if (labels is null)
        {
            return kd;
        }

        var ce = F.cross_entropy(student, labels);
        return kd.mul(kdWeight).Plus(ce.mul(ceWeight));
    }

    /// <summary>Cross-entropy alone, for training without a teacher (the wider MNIST teacher of the bench scenario).</summary>
    public static Tensor CrossEntropy(Tensor studentLogits, Tensor labels) =>
        F.cross_entropy(studentLogits.reshape(studentLogits.shape[0], -1), labels);

    public static Tensor Hint(Tensor student, Tensor teacher) => F.mse_loss(student, teacher);
}
