using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Sdk.Inference;

/// <summary>An <see cref="OrtValue"/> bound into a request, with the shape it was bound with.</summary>
internal class BoundTensor : IDisposable
{
    public BoundTensor(OrtValue value, long[] shape, IntPtr data, int elementCount)
    {
        Value = value;
        Shape = shape;
        Data = data;
        ElementCount = elementCount;
    }

    public OrtValue Value { get; }

    public long[] Shape { get; }

    /// <summary>Start of the tensor's buffer; fixed for the value's lifetime (pinned caller memory or native memory).</summary>
    public IntPtr Data { get; }

    public int ElementCount { get; }

    public bool HasShape(ReadOnlySpan<long> shape) => shape.SequenceEqual(Shape);

    public unsafe ReadOnlySpan<T> AsSpan<T>()
        where T : unmanaged => new((void*)Data, ElementCount);

    public void Dispose() => Value.Dispose();

    /// <summary>Wraps caller memory without copying; the returned value keeps it pinned until disposed.</summary>
    public static BoundTensor<T> Wrap<T>(Memory<T> memory, long[] shape)
        where T : unmanaged
    {
        if (typeof(T) == typeof(Half))
        {
            // ONNX Runtime's typed API knows its own Float16, not System.Half; the bits are the same, so the memory is
            // reinterpreted, still without a copy and pinned for the value's lifetime.
            var floats16 = new Float16MemoryManager(Unsafe.As<Memory<T>, Memory<Half>>(ref memory)).Memory;
            var half = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, floats16, shape);
            return new BoundTensor<T>(memory, half, shape, DataPointer(half), memory.Length);
        }

        var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, memory, shape);
        return new BoundTensor<T>(memory, value, shape, DataPointer(value), memory.Length);
    }

    /// <summary>A tensor in ONNX Runtime's CPU allocator, for outputs the caller did not provide.</summary>
    public static BoundTensor Allocate(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType type, long[] shape)
    {
        var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, type, shape);
        try
        {
            var count = checked((int)ShapeMath.ElementCount(shape));
            var bound = new BoundTensor(value, shape, DataPointer(value), count);
            value.GetTensorMutableRawData().Clear();
            return bound;
        }
        catch
        {
            value.Dispose();
            throw;
        }
    }

    private static unsafe IntPtr DataPointer(OrtValue value) =>
        (IntPtr)Unsafe.AsPointer(ref MemoryMarshal.GetReference(value.GetTensorMutableRawData()));
}

/// <summary>A bound tensor over caller memory, remembered so that binding the same memory again costs nothing.</summary>
internal sealed class BoundTensor<T> : BoundTensor
    where T : unmanaged
{
    public BoundTensor(Memory<T> memory, OrtValue value, long[] shape, IntPtr data, int elementCount)
        : base(value, shape, data, elementCount)
    {
        Memory = memory;
    }

    public Memory<T> Memory { get; }
}
