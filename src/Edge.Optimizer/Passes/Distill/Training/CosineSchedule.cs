namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>Cosine decay from the peak rate to zero over all steps; a function of the step alone, so resuming needs no state.</summary>
internal static class CosineSchedule
{
    public static double Rate(double peak, long step, long totalSteps) =>
        totalSteps <= 1 ? peak : peak * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(step, totalSteps) / totalSteps));
}
