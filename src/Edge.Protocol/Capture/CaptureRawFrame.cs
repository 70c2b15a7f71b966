namespace Edge.Protocol.Capture;

/// <summary>The raw frame an app attached to a captured call (the camera's JPEG, a sensor's buffer), before its preprocessing.</summary>
/// <param name="MediaType">What the bytes are, <c>type/subtype</c> such as <c>image/jpeg</c>; at most 127 printable ASCII characters.</param>
/// <param name="Data">The frame's bytes.</param>
public sealed record CaptureRawFrame(string MediaType, byte[] Data)
{
    /// <summary>The longest media type a sample may carry.</summary>
    public const int MaxMediaTypeLength = 127;

    /// <summary>Whether <paramref name="mediaType"/> can be carried: <c>type/subtype</c>, printable ASCII without spaces, at most 127 characters.</summary>
    /// <param name="mediaType">The media type to check.</param>
    /// <returns>True when a sample may carry it.</returns>
    public static bool IsValidMediaType(string? mediaType)
    {
        if (string.IsNullOrEmpty(mediaType) || mediaType.Length > MaxMediaTypeLength)
        {
            return false;
        }

        var slash = mediaType.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < mediaType.Length - 1 && mediaType.All(c => c is > ' ' and < '\u007f');
    }
}
