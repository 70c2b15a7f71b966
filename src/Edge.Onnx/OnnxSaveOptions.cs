namespace Edge.Onnx;

/// <summary>How <see cref="OnnxModel"/> writes a model to a file.</summary>
public sealed class OnnxSaveOptions
{
    /// <summary>The options used when none are given: tensors stay where they are (inline stays inline, external stays external).</summary>
    public static OnnxSaveOptions Default { get; } = new();

    /// <summary>
    /// Tensors whose data is at least this many bytes are written to the external-data file instead of inline.
    /// Default <see langword="null"/>: no inline tensor is moved out. Must be 0 or more. String tensors always stay inline.
    /// </summary>
    public long? ExternalDataThresholdBytes { get; init; }

    /// <summary>
    /// Name of the external-data file, created in the model's folder. A plain file name (no folders).
    /// Default <see langword="null"/>: the model's file name plus <c>.data</c>, for example <c>model.onnx.data</c>.
    /// </summary>
    public string? ExternalDataFileName { get; init; }

    /// <summary>
    /// Write tensors that are external in the source back inline (when the result stays under 2 GiB).
    /// Default <see langword="false"/>. Ignored for tensors that <see cref="ExternalDataThresholdBytes"/> moves out.
    /// </summary>
    public bool InlineExternalData { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid setting at once.</summary>
    public void EnsureValid()
    {
        var errors = new List<string>();
        if (ExternalDataThresholdBytes is < 0)
        {
            errors.Add($"{nameof(ExternalDataThresholdBytes)} must be 0 or more bytes, but was {ExternalDataThresholdBytes}");
        }

        if (ExternalDataFileName is not null &&
            (ExternalDataFileName.Length == 0 || ExternalDataFileName != Path.GetFileName(ExternalDataFileName) ||
             ExternalDataFileName is "." or ".."))
        {
            errors.Add($"{nameof(ExternalDataFileName)} must be a plain file name without folders, but was '{ExternalDataFileName}'");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(OnnxSaveOptions)}: {string.Join("; ", errors)}.");
        }
    }
}
