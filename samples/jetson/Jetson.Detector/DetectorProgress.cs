namespace Edge.Samples.Jetson;

/// <summary>Lets the host (and tests) follow the frame loop: every frame's result, and the end of the frames.</summary>
internal sealed class DetectorProgress
{
    private readonly TaskCompletionSource<long> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised on the frame loop after each frame, once the pin has been written.</summary>
    public event Action<FrameResult>? FrameProcessed;

    /// <summary>Completes with the number of frames when the source ends; faults if the loop failed.</summary>
    public Task<long> Completion => _completion.Task;

    internal void OnFrame(FrameResult result) => FrameProcessed?.Invoke(result);

    internal void OnCompleted(long frames) => _completion.TrySetResult(frames);

    internal void OnFailed(Exception error) => _completion.TrySetException(error);
}
