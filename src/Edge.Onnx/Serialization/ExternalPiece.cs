using Edge.Onnx.Protobuf;

namespace Edge.Onnx.Serialization;

/// <summary>
/// One tensor bound for the external-data file: the tensor in the copy being written, the tensor in the caller's
/// model it came from, and where its bytes come from (an existing external file, or bytes already in memory).
/// </summary>
internal sealed record ExternalPiece(TensorProto Target, TensorProto Original, ExternalDataLocation? Source, byte[]? Bytes)
{
    public long Length => Source?.Length ?? Bytes!.LongLength;
}
