namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// What the thread check found before training: the threads asked for and used, whether libtorch's oneDNN kernels
/// stayed on, the largest gradient difference against one thread with the kernels first tried and with those used
/// (relative to each tensor's largest gradient), and a note when anything was changed to get agreement.
/// </summary>
internal sealed record ThreadCheckResult(int RequestedThreads, int Threads, bool OneDnn, double? FirstDifference, double? UsedDifference, string? Note);
