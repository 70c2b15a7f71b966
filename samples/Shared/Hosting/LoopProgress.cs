namespace Edge.Samples.Hosting;

/// <summary>Lets the host (and tests) follow a sample's loop: every item's result as it is handled, and the end of the loop.</summary>
/// <typeparam name="TResult">What one pass of the loop produced (a frame's detections, a capture's faces).</typeparam>
public sealed class LoopProgress<TResult>
{
    private readonly TaskCompletionSource<long> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised on the loop after each item, once its output (a pin, an LED) has been written.</summary>
    public event Action<TResult>? Reported;

    /// <summary>Completes with the number of items when the loop ends (-1 when the host stopped it); faults if it failed.</summary>
    public Task<long> Completion => _completion.Task;

    /// <summary>Reports one item's result.</summary>
    public void Report(TResult result) => Reported?.Invoke(result);

    internal void Complete(long count) => _completion.TrySetResult(count);

    internal void Fail(Exception error) => _completion.TrySetException(error);
}
