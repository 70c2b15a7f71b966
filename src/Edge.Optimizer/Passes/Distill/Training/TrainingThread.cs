namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// Runs all of one distillation's libtorch work on a single dedicated thread. libtorch's intra-op parallelism is
/// OpenMP, whose thread team and settings (the thread count, MKL's per-thread count) belong to the thread that starts
/// a parallel region; an async method that resumes on whichever pool thread is free would start a new team on each
/// one. One thread gives one team, one set of settings and one order of work for the whole run.
/// </summary>
internal static class TrainingThread
{
    public static Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                completion.SetResult(work());
            }
#pragma warning disable CA1031 // Every failure is handed to the awaiting caller, which reports it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                if (e is OperationCanceledException cancelled)
                {
                    completion.SetCanceled(cancelled.CancellationToken);
                }
                else
                {
                    completion.SetException(e);
                }
            }
        })
        {
            Name = "edge-distill",
            IsBackground = true,
        };
        thread.Start();
        return completion.Task;
    }
}
