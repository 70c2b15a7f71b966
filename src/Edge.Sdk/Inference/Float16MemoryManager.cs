using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Sdk.Inference;

/// <summary>
/// Views <see cref="Half"/> memory as ONNX Runtime's <see cref="Float16"/> (both are the IEEE 754 binary16 bits), so a
/// float16 input is bound without a copy. Pinning pins the underlying memory.
/// </summary>
internal sealed class Float16MemoryManager(Memory<Half> halves) : MemoryManager<Float16>
{
    public override Span<Float16> GetSpan() => MemoryMarshal.Cast<Half, Float16>(halves.Span);

    public override MemoryHandle Pin(int elementIndex = 0) => halves.Slice(elementIndex).Pin();

    public override void Unpin()
    {
        // The handle returned by Pin unpins the underlying memory itself.
    }

    protected override void Dispose(bool disposing)
    {
        // Nothing owned: the caller's memory outlives this view for as long as the bound value does.
    }
}
