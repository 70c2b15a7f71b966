using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Optimizer.Data;

/// <summary>
/// One model input ready to bind: its name, element type, concrete shape and data. <see cref="Data"/> is an array of
/// the CLR type ONNX Runtime uses for <see cref="ElementType"/> (<c>float[]</c>, <c>Half[]</c>, <c>long[]</c>, …).
/// </summary>
public sealed record ModelInput(string Name, TensorElementType ElementType, long[] Shape, Array Data)
{
    /// <summary>
    /// An OrtValue over <see cref="Data"/> for a bare ONNX Runtime session. Numeric arrays are wrapped without copying
    /// (they stay pinned until the value is disposed); <c>Half[]</c> is copied into ORT's <see cref="Float16"/>.
    /// The caller disposes the value.
    /// </summary>
    public OrtValue ToOrtValue() => Data switch
    {
        float[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        Half[] a => OrtValue.CreateTensorValueFromMemory(a.Select(h => (Float16)BitConverter.HalfToUInt16Bits(h)).ToArray(), Shape),
        double[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        long[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        int[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        short[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        byte[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        sbyte[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        bool[] a => OrtValue.CreateTensorValueFromMemory(a, Shape),
        _ => throw new InvalidDataException($"Input '{Name}' holds {Data.GetType().Name}, which cannot be passed to ONNX Runtime."),
    };
}
