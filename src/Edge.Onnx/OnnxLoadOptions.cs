namespace Edge.Onnx;

/// <summary>
/// How <see cref="OnnxModel"/> reads a model. The defaults protect against adversarial files: the protobuf part may
/// be at most <see cref="MaxModelBytes"/> long and nest at most <see cref="RecursionLimit"/> messages deep.
/// </summary>
public sealed class OnnxLoadOptions
{
    /// <summary>The largest protobuf limit there is: 2 GiB - 1 bytes. Larger models must keep weights as external data.</summary>
    public const int ProtobufMaxBytes = int.MaxValue;

    /// <summary>The options used when none are given.</summary>
    public static OnnxLoadOptions Default { get; } = new();

    /// <summary>
    /// Largest protobuf part accepted, in bytes (1 to <see cref="ProtobufMaxBytes"/>; default <see cref="ProtobufMaxBytes"/>).
    /// When reading a file the limit is also capped at the file's length, so a length field can never make the
    /// parser allocate more than the file holds. External data does not count.
    /// </summary>
    public int MaxModelBytes { get; init; } = ProtobufMaxBytes;

    /// <summary>How deeply messages may nest (graphs inside If/Loop/Scan attributes count); 1 to 10,000, default 100.</summary>
    public int RecursionLimit { get; init; } = 100;

    /// <summary>
    /// Run <see cref="Validation.GraphValidator"/> after parsing and refuse a model with any issue
    /// (cycle, undefined value, value produced twice, type mismatch). Default <see langword="true"/>.
    /// </summary>
    public bool Validate { get; init; } = true;

    /// <summary>
    /// Folder that external-data paths are relative to when loading from a stream. Loading from a file always uses
    /// the file's folder. Default <see langword="null"/>: a stream model with external data is refused.
    /// </summary>
    public string? ExternalDataDirectory { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid setting at once.</summary>
    public void EnsureValid()
    {
        var errors = new List<string>();
        if (MaxModelBytes < 1)
        {
            errors.Add($"{nameof(MaxModelBytes)} must be between 1 and {ProtobufMaxBytes} bytes, but was {MaxModelBytes}");
        }

        if (RecursionLimit is < 1 or > 10_000)
        {
            errors.Add($"{nameof(RecursionLimit)} must be between 1 and 10000, but was {RecursionLimit}");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(OnnxLoadOptions)}: {string.Join("; ", errors)}.");
        }
    }
}
