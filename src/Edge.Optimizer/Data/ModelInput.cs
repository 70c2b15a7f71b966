using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Optimizer.Data;

/// <summary>
/// One model input ready to bind: its name, element type, concrete shape and data. <see cref="Data"/> is an array of
/// the CLR type ONNX Runtime uses for <see cref="ElementType"/> (<c>float[]</c>, <c>Half[]</c>, <c>long[]</c>, …).
/// </summary>
internal sealed record ModelInput(string Name, TensorElementType ElementType, long[] Shape, Array Data);
