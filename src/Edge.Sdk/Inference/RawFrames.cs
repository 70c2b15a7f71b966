namespace Edge.Sdk.Inference;

/// <summary>
/// Attaches the raw frame behind an inference call to that call, for observers (the agent's field-data capture
/// keeps it beside the input tensor when the fleet asked for raw frames). The attachment flows with the calling
/// thread and its async continuations, like <see cref="System.Diagnostics.Activity.Current"/>, so it reaches
/// <see cref="ModelHost.Run{TInput, TOutput}"/> however deep the app's preprocessing calls it:
/// <code>
/// using (RawFrames.Attach(jpeg, "image/jpeg"))
/// {
///     var scores = classifier.Classify(image);
/// }
/// </code>
/// Attaching costs one async-local write; nothing is copied unless an observer keeps the frame.
/// </summary>
public static class RawFrames
{
    /// <summary>The longest media type accepted, in characters.</summary>
    public const int MaxMediaTypeLength = 127;

    private static readonly AsyncLocal<RawFrame?> Attached = new();

    /// <summary>The frame attached to the calls made here, or null when none is.</summary>
    public static RawFrame? Current => Attached.Value;

    /// <summary>Attaches <paramref name="data"/> to the inference calls made until the returned scope is disposed.</summary>
    /// <param name="data">The frame's bytes; they must stay unchanged until the scope ends.</param>
    /// <param name="mediaType">What the bytes are, <c>type/subtype</c> (RFC 6838), such as <c>image/jpeg</c>.</param>
    /// <returns>A scope whose disposal restores the frame attached before (scopes nest).</returns>
    /// <exception cref="ArgumentException"><paramref name="mediaType"/> is not <c>type/subtype</c> of at most 127 characters.</exception>
    public static IDisposable Attach(ReadOnlyMemory<byte> data, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(mediaType);
        if (!IsMediaType(mediaType))
        {
            throw new ArgumentException(
                $"Media type '{mediaType}' is not 'type/subtype' of letters, digits and !#$&-^_.+ with at most {MaxMediaTypeLength} characters (for example image/jpeg).",
                nameof(mediaType));
        }

        var scope = new Scope(Attached.Value);
        Attached.Value = new RawFrame(data, mediaType);
        return scope;
    }

    /// <summary>Whether <paramref name="value"/> is a media type <see cref="Attach"/> accepts.</summary>
    /// <param name="value">The text to check.</param>
    /// <returns>True for <c>type/subtype</c> of restricted-name characters (RFC 6838 4.2), at most 127 in all.</returns>
    public static bool IsMediaType(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxMediaTypeLength)
        {
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < value.Length - 1 && IsName(value.AsSpan(0, slash)) && IsName(value.AsSpan(slash + 1));
    }

    private static bool IsName(ReadOnlySpan<char> name)
    {
        if (!char.IsAsciiLetterOrDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && "!#$&-^_.+".IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private sealed class Scope(RawFrame? previous) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Attached.Value = previous;
            }
        }
    }
}
