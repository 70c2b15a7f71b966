namespace Edge.Sdk.Inference;

/// <summary>One input or output of a request: what the model declares and what is bound now.</summary>
internal sealed class TensorSlot
{
    public TensorSlot(TensorInfo info)
    {
        Info = info;
        Declared = [.. info.Dimensions];
    }

    public TensorInfo Info { get; }

    /// <summary>Declared dimensions, -1 for dynamic ones.</summary>
    public long[] Declared { get; }

    public BoundTensor? Bound { get; set; }

    /// <summary>Output only: the caller supplied the memory, so the request must not reallocate it.</summary>
    public bool CallerOwned { get; set; }

    /// <summary>Output only: shape unknown before the run, so ONNX Runtime allocates it and it is fetched afterwards.</summary>
    public bool DeviceBound { get; set; }

    /// <summary>Output only: position among bound outputs, which is the order ONNX Runtime returns them in.</summary>
    public int BindIndex { get; set; } = -1;
}
