using Edge.Sdk.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Sdk.Inference;

/// <summary>
/// One caller's bound inputs and outputs for an <see cref="EdgeSession"/>, reused across runs. Inputs wrap the
/// caller's memory without copying (it stays pinned while bound); outputs with a known shape are allocated once,
/// so a steady-state <see cref="Run"/> that rebinds the same buffers allocates nothing on the managed heap.
/// </summary>
/// <remarks>
/// Thread-safety: a request is used by one thread at a time. Many threads may run the same session at once, each
/// through its own request. The caller that created the request disposes it, before disposing the session.
/// Spans returned by <see cref="GetOutput{T}"/> stay valid until the next run, rebinding or disposal.
/// </remarks>
public sealed partial class InferenceRequest : IDisposable
{
    private readonly EdgeSession owner;
    private readonly OrtIoBinding binding;
    private readonly RunOptions runOptions;
    private readonly TensorSlot[] inputs;
    private readonly TensorSlot[] outputs;
    private readonly bool hasDynamicOutputs;
    private IDisposableReadOnlyCollection<OrtValue>? fetchedOutputs;
    private OrtValue[] fetchedValues = [];
    private int nextBindIndex;
    private bool hasRun;
    private bool disposed;

    internal InferenceRequest(EdgeSession owner, InferenceSession session)
    {
        this.owner = owner;
        inputs = [.. owner.Inputs.Select(i => new TensorSlot(i))];
        outputs = [.. owner.Outputs.Select(o => new TensorSlot(o))];
        hasDynamicOutputs = outputs.Any(o => !o.Info.HasStaticShape);
        binding = session.CreateIoBinding();
        runOptions = new RunOptions();
        try
        {
            foreach (var output in outputs)
            {
                if (!output.Info.HasStaticShape || output.Info.ElementType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.String)
                {
                    continue;
                }

                BindOutput(output, BoundTensor.Allocate(output.Info.ElementType, output.Declared));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The session this request runs on.</summary>
    public EdgeSession Session => owner;

    /// <summary>Binds an input with the model's declared (fixed) shape. See <see cref="SetInput{T}(string, ReadOnlyMemory{T}, ReadOnlySpan{long})"/>.</summary>
    /// <exception cref="InputMismatchException">Unknown name, wrong type, element count, or the input has dynamic dimensions.</exception>
    public void SetInput<T>(string name, ReadOnlyMemory<T> data)
        where T : unmanaged
    {
        var slot = Find(inputs, name, "input");
        if (!slot.Info.HasStaticShape)
        {
            throw new InputMismatchException(name, $"an explicit shape, because {slot.Info} has dynamic dimensions", "no shape");
        }

        SetInput(name, data, slot.Declared);
    }

    /// <summary>
    /// Binds caller memory as an input without copying. Binding the same memory with the same shape again is free,
    /// so callers write new data into one buffer and call <see cref="Run"/>. Validated against the model first; a
    /// rejected call leaves the previous binding in place.
    /// </summary>
    /// <param name="name">Input name as declared by the model.</param>
    /// <param name="data">Elements in row-major order; must hold exactly the shape's element count. Not written to.</param>
    /// <param name="shape">Dimensions; fixed ones must match the model, dynamic ones be positive.</param>
    /// <exception cref="InputMismatchException">The name, element type, shape or element count does not match the model.</exception>
    public void SetInput<T>(string name, ReadOnlyMemory<T> data, ReadOnlySpan<long> shape)
        where T : unmanaged
    {
        ThrowIfDisposed();
        var slot = Find(inputs, name, "input");
        ShapeMath.ValidateTensor(slot.Info, slot.Declared, typeof(T), data.Length, shape, "input");
        var memory = System.Runtime.InteropServices.MemoryMarshal.AsMemory(data);
        if (slot.Bound is BoundTensor<T> current && current.Memory.Equals(memory) && current.HasShape(shape))
        {
            return;
        }

        var bound = BoundTensor.Wrap(memory, shape.ToArray());
        try
        {
            binding.BindInput(slot.Info.Name, bound.Value);
        }
        catch
        {
            bound.Dispose();
            throw;
        }

        slot.Bound?.Dispose();
        slot.Bound = bound;
    }

    /// <summary>
    /// Makes the model write an output straight into caller memory (no copy), with the model's declared fixed
    /// shape, or the given one. Optional: outputs not set this way are allocated by the request.
    /// </summary>
    /// <exception cref="InputMismatchException">The name, element type, shape or element count does not match the model.</exception>
    public void SetOutput<T>(string name, Memory<T> destination, ReadOnlySpan<long> shape = default)
        where T : unmanaged
    {
        ThrowIfDisposed();
        var slot = Find(outputs, name, "output");
        if (shape.IsEmpty && slot.Declared.Length > 0)
        {
            if (!slot.Info.HasStaticShape)
            {
                throw new InputMismatchException(name, $"an explicit shape, because {slot.Info} has dynamic dimensions", "no shape");
            }

            shape = slot.Declared;
        }

        ShapeMath.ValidateTensor(slot.Info, slot.Declared, typeof(T), destination.Length, shape, "output");
        if (slot.CallerOwned && slot.Bound is BoundTensor<T> current && current.Memory.Equals(destination) && current.HasShape(shape))
        {
            return;
        }

        BindOutput(slot, BoundTensor.Wrap(destination, shape.ToArray()));
        slot.CallerOwned = true;
    }

    /// <summary>Runs the model on the bound inputs. Synchronous, and allocation-free once buffers are bound.</summary>
    /// <exception cref="InvalidOperationException">An input was never bound.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed; counted in the errors metric.</exception>
    public void Run() => RunCore(measured: true);

    /// <summary>
    /// Runs like <see cref="Run"/> but leaves the run out of the session's metrics (latency, calls, errors): for
    /// warm-ups, health gates and probes that must not skew what the app reports.
    /// </summary>
    /// <exception cref="InvalidOperationException">An input was never bound.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed; not counted.</exception>
    public void RunUnmeasured() => RunCore(measured: false);

    /// <summary>Warm-up runs pass <paramref name="measured"/> false so they stay out of the metrics.</summary>
    internal void RunCore(bool measured)
    {
        ThrowIfDisposed();
        foreach (var input in inputs)
        {
            if (input.Bound is null)
            {
                throw new InvalidOperationException(
                    $"Input '{input.Info.Name}' ({input.Info}) is not bound; call SetInput for every input: {string.Join(", ", inputs.Select(i => i.Info.Name))}.");
            }
        }

        if (hasDynamicOutputs)
        {
            PrepareDynamicOutputs();
        }

        owner.Execute(binding, runOptions, measured);
        if (hasDynamicOutputs)
        {
            FetchDeviceOutputs();
        }

        hasRun = true;
    }

    /// <summary>
    /// Runs the model on a thread-pool thread. Cancelling sets ONNX Runtime's terminate flag, which stops the run
    /// between operators and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.Run(
            () =>
            {
                using var registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
                try
                {
                    Run();
                }
                catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException("The inference run was cancelled.", cancellationToken);
                }
                finally
                {
                    runOptions.Terminate = false;
                }
            },
            cancellationToken);
    }

    /// <summary>The output's elements from the last run. Valid until the next run, rebinding or disposal.</summary>
    /// <exception cref="InvalidOperationException">No run has completed yet, or <typeparamref name="T"/> is not the output's element type.</exception>
    public ReadOnlySpan<T> GetOutput<T>(string name)
        where T : unmanaged
    {
        ThrowIfDisposed();
        var slot = Find(outputs, name, "output");
        if (!hasRun)
        {
            throw new InvalidOperationException($"Output '{name}' has no value yet: call Run first.");
        }

        if (!slot.Info.Accepts(typeof(T)))
        {
            throw new InvalidOperationException($"Output '{name}' holds {TensorInfo.AcceptedClrTypes(slot.Info)} ({slot.Info}), but {typeof(T).Name} was asked for.");
        }

        // Raw bytes, not GetTensorDataAsSpan<T>: System.Half is accepted for float16 and ONNX Runtime knows only its Float16.
        return slot.DeviceBound
            ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(fetchedValues[slot.BindIndex].GetTensorMutableRawData())
            : slot.Bound!.AsSpan<T>();
    }

    /// <summary>The output's shape from the last run.</summary>
    public long[] GetOutputShape(string name)
    {
        ThrowIfDisposed();
        var slot = Find(outputs, name, "output");
        if (!hasRun)
        {
            throw new InvalidOperationException($"Output '{name}' has no value yet: call Run first.");
        }

        return slot.DeviceBound ? fetchedValues[slot.BindIndex].GetTensorTypeAndShape().Shape : (long[])slot.Bound!.Shape.Clone();
    }

    /// <summary>Releases the bound buffers (unpinning caller memory) and native objects.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        fetchedOutputs?.Dispose();
        foreach (var slot in inputs.Concat(outputs))
        {
            slot.Bound?.Dispose();
            slot.Bound = null;
        }

        binding.Dispose();
        runOptions.Dispose();
    }
}
