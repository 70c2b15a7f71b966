using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;

namespace Edge.Onnx.Serialization;

/// <summary>
/// What a save will write: a copy of the model whose tensors are already inline or external as decided, and the
/// tensors whose bytes go to the external-data file. The caller's model is not touched while planning.
/// </summary>
internal sealed class SavePlan
{
    private SavePlan(ModelProto copy, List<ExternalPiece> pieces, List<(TensorProto Original, byte[] Bytes)> inlined)
    {
        Copy = copy;
        Pieces = pieces;
        Inlined = inlined;
    }

    public ModelProto Copy { get; }

    public IReadOnlyList<ExternalPiece> Pieces { get; }

    /// <summary>Tensors that were external in the caller's model and are written inline.</summary>
    public IReadOnlyList<(TensorProto Original, byte[] Bytes)> Inlined { get; }

    /// <param name="model">The caller's model.</param>
    /// <param name="sourceDirectory">Folder the model's existing external references are relative to.</param>
    /// <param name="options">Save options.</param>
    /// <param name="inlineEverything">Writing to a stream: there is no folder for a data file, so everything goes inline.</param>
    public static SavePlan Create(ModelProto model, string? sourceDirectory, OnnxSaveOptions options, bool inlineEverything)
    {
        var copy = model.Clone();
        var pieces = new List<ExternalPiece>();
        var inlined = new List<(TensorProto, byte[])>();
        using var originals = ModelTensors.Enumerate(model).GetEnumerator();
        foreach (var target in ModelTensors.Enumerate(copy))
        {
            originals.MoveNext();
            var original = originals.Current;
            if (ExternalData.IsExternal(original))
            {
                var location = ExternalData.Resolve(original, sourceDirectory);
                var staysOut = options.ExternalDataThresholdBytes is { } limit && location.Length >= limit;
                if (inlineEverything || (options.InlineExternalData && !staysOut))
                {
                    var bytes = ExternalData.Read(original, sourceDirectory);
                    TensorData.WriteRawBytes(target, bytes);
                    inlined.Add((original, bytes));
                }
                else
                {
                    pieces.Add(new ExternalPiece(target, original, location, null));
                }
            }
            else if (!inlineEverything && options.ExternalDataThresholdBytes is { } threshold &&
                     original.DataType != (int)TensorProto.Types.DataType.String &&
                     TensorElementTypes.BitsPerElement(original.DataType) > 0 &&
                     TensorData.InlineByteCount(original) >= threshold && TensorData.InlineByteCount(original) > 0)
            {
                pieces.Add(new ExternalPiece(target, original, null, TensorData.ReadRawBytes(original)));
            }
        }

        return new SavePlan(copy, pieces, inlined);
    }

    /// <summary>Points the copy's external tensors at their places in <paramref name="dataFileName"/>, back to back.</summary>
    public void AssignOffsets(string dataFileName)
    {
        long offset = 0;
        foreach (var piece in Pieces)
        {
            ExternalData.SetLocation(piece.Target, dataFileName, offset, piece.Length);
            offset += piece.Length;
        }
    }

    /// <summary>
    /// After the files are in place, makes the caller's model describe what was saved: external tensors point at
    /// the new data file, and tensors written inline hold their bytes. Without this, saving over the model's own
    /// data file would leave it pointing at offsets that no longer exist.
    /// </summary>
    public void Commit()
    {
        foreach (var piece in Pieces)
        {
            if (ExternalData.IsExternal(piece.Original))
            {
                piece.Original.ExternalData.Clear();
                piece.Original.ExternalData.Add(piece.Target.ExternalData.Select(e => e.Clone()));
            }
        }

        foreach (var (tensor, bytes) in Inlined)
        {
            TensorData.WriteRawBytes(tensor, bytes);
        }
    }
}
