namespace Edge.Sdk.Inference;

/// <summary>
/// The frame an app preprocessed into a model's input (a camera's JPEG, a sensor's raw buffer), attached to the
/// calls it feeds through <see cref="RawFrames.Attach"/> so that observers such as the agent's field-data capture can
/// keep it beside the tensor.
/// </summary>
public sealed class RawFrame
{
    internal RawFrame(ReadOnlyMemory<byte> data, string mediaType)
    {
        Data = data;
        MediaType = mediaType;
    }

    /// <summary>The frame's bytes, as the app holds them; an observer copies what it keeps.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Its media type, such as <c>image/jpeg</c>, <c>image/png</c> or <c>application/octet-stream</c>.</summary>
    public string MediaType { get; }
}
