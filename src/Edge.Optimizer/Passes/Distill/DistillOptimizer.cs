namespace Edge.Optimizer.Passes.Distill;

/// <summary>The optimizer that updates the student; both follow a cosine learning-rate schedule.</summary>
internal enum DistillOptimizer
{
    /// <summary>AdamW (decoupled weight decay 0.01).</summary>
    AdamW,

    /// <summary>SGD with momentum 0.9 and weight decay 5e-4.</summary>
    Sgd,
}
