using System.Threading.Channels;
using Edge.Sdk.Diagnostics;

namespace Edge.Sdk.Inference;

/// <summary>
/// Groups concurrent single-sample requests into one run along the batch (first, dynamic) dimension, up to
/// <see cref="MicroBatcherOptions.MaxBatchSize"/> samples or <see cref="MicroBatcherOptions.MaxDelay"/>, and hands
/// each caller its own slice of every output. For models whose inputs are <c>[batch, ...fixed]</c>.
/// </summary>
/// <remarks>
/// Thread-safety: <see cref="RunAsync(IReadOnlyList{ReadOnlyMemory{TInput}}, CancellationToken)"/> may be called from
/// many threads. The batcher runs on whatever session the host holds when a batch starts, so swaps are
/// honoured. The caller that creates it disposes it; that finishes queued requests first. The host is not disposed.
/// </remarks>
/// <typeparam name="TInput">Element type of every model input (for example <see cref="int"/> for token ids).</typeparam>
/// <typeparam name="TOutput">Element type of every model output.</typeparam>
public sealed partial class MicroBatcher<TInput, TOutput> : IAsyncDisposable
    where TInput : unmanaged
    where TOutput : unmanaged
{
    private readonly ModelHost host;
    private readonly MicroBatcherOptions options;
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>();
    private readonly Task loop;

    /// <summary>Starts a batcher over <paramref name="host"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid; every problem is listed.</exception>
    public MicroBatcher(ModelHost host, MicroBatcherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        options ??= new MicroBatcherOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"MicroBatcherOptions has {errors.Count} problem(s): {string.Join(" ", errors)}", nameof(options));
        }

        this.host = host;
        this.options = options;
        loop = Task.Run(LoopAsync);
    }

    /// <summary>Number of batches run so far (tests use it to see that requests were really grouped).</summary>
    internal int BatchesRun { get; private set; }

    /// <summary>Queues one sample of a single-input model and returns its first output.</summary>
    public async Task<TOutput[]> RunAsync(ReadOnlyMemory<TInput> input, CancellationToken cancellationToken = default) =>
        (await RunAsync([input], cancellationToken))[0];

    /// <summary>
    /// Queues one sample and returns one array per model output (in declaration order) holding this sample's slice.
    /// </summary>
    /// <param name="inputs">One buffer per model input, in declaration order, each one sample without the batch
    /// dimension. They are copied when the batch forms, so keep them unchanged until the task completes.</param>
    /// <param name="cancellationToken">Cancels the request while it waits in the queue.</param>
    /// <exception cref="InputMismatchException">A sample's size or the input count does not match the model.</exception>
    public Task<TOutput[][]> RunAsync(IReadOnlyList<ReadOnlyMemory<TInput>> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        cancellationToken.ThrowIfCancellationRequested();
        var instruments = CurrentInstruments();
        var pending = new Pending(inputs, instruments);
        instruments.ChangeQueueLength(1);
        if (!queue.Writer.TryWrite(pending))
        {
            instruments.ChangeQueueLength(-1);
            throw new ObjectDisposedException(nameof(MicroBatcher<TInput, TOutput>));
        }

        return cancellationToken.CanBeCanceled ? AwaitCancellable(pending, cancellationToken) : pending.Completion.Task;
    }

    /// <summary>
    /// Lets the caller's token cancel a request still in the queue (the loop drops completed ones), and unregisters
    /// from the token when the request ends, so a long-lived token does not keep every finished request alive.
    /// </summary>
    private static async Task<TOutput[][]> AwaitCancellable(Pending pending, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(
            static state => ((TaskCompletionSource<TOutput[][]>)state!).TrySetCanceled(),
            pending.Completion);
        return await pending.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>Stops accepting requests and waits for queued ones to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
    }

    private InferenceInstruments CurrentInstruments()
    {
        using var lease = host.Acquire();
        return lease.Session.Instruments;
    }

    private async Task LoopAsync()
    {
        var reader = queue.Reader;
        var batch = new List<Pending>(options.MaxBatchSize);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            Drain(reader, batch);
            if (batch.Count < options.MaxBatchSize && options.MaxDelay > TimeSpan.Zero)
            {
                await FillUntilDeadlineAsync(reader, batch);
            }

            foreach (var pending in batch)
            {
                pending.Instruments.ChangeQueueLength(-1);
            }

            Execute(batch);
            BatchesRun++;
        }
    }

    private async Task FillUntilDeadlineAsync(ChannelReader<Pending> reader, List<Pending> batch)
    {
        using var timer = new CancellationTokenSource();
        var deadline = Task.Delay(options.MaxDelay, options.TimeProvider, timer.Token);
        while (batch.Count < options.MaxBatchSize)
        {
            var more = reader.WaitToReadAsync().AsTask();
            if (await Task.WhenAny(more, deadline) == deadline || !await more)
            {
                break;
            }

            Drain(reader, batch);
        }

        await timer.CancelAsync();
    }

    private void Drain(ChannelReader<Pending> reader, List<Pending> batch)
    {
        while (batch.Count < options.MaxBatchSize && reader.TryRead(out var pending))
        {
            batch.Add(pending);
        }
    }
}
