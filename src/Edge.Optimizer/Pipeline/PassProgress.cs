namespace Edge.Optimizer.Pipeline;

/// <summary>How far a long stage of a pass has come, reported through <see cref="PassContext.Progress"/>.</summary>
/// <param name="Stage">What is running, for example <c>calibrating</c>.</param>
/// <param name="Done">Units finished so far (samples, batches).</param>
/// <param name="Total">Units in the stage; zero or less when unknown.</param>
internal readonly record struct PassProgress(string Stage, int Done, int Total);
