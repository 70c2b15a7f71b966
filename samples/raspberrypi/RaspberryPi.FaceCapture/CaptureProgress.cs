namespace Edge.Samples.RaspberryPi;

/// <summary>Lets the host (and tests) follow the capture loop: every capture's result, and the end of the frames.</summary>
internal sealed class CaptureProgress
{
    private readonly TaskCompletionSource<long> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised on the capture loop after each capture, once the LED has been written.</summary>
    public event Action<CaptureResult>? Captured;

    /// <summary>Completes with the number of captures when the loop ends; faults if it failed.</summary>
    public Task<long> Completion => _completion.Task;

    internal void OnCapture(CaptureResult result) => Captured?.Invoke(result);

    internal void OnCompleted(long captures) => _completion.TrySetResult(captures);

    internal void OnFailed(Exception error) => _completion.TrySetException(error);
}
