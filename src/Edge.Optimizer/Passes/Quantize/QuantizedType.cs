namespace Edge.Optimizer.Passes.Quantize;

/// <summary>The 8-bit integer type a tensor is quantized to.</summary>
internal enum QuantizedType
{
    /// <summary>Unsigned 8-bit (0..255); ONNX Runtime's fastest activation type on x64 (U8S8).</summary>
    UInt8,

    /// <summary>Signed 8-bit (-128..127, or -127..127 when symmetric).</summary>
    Int8,
}
