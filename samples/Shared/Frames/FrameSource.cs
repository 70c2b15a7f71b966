namespace Edge.Samples.Frames;

/// <summary>Where frames come from: a camera pipeline writing to stdin, or a folder of images. Owns its stream.</summary>
public abstract class FrameSource : IAsyncDisposable
{
    /// <summary>Short description for logs, such as <c>MJPEG on stdin</c>.</summary>
    public abstract string Description { get; }

    /// <summary>Reads the next frame into <paramref name="frame"/>.</summary>
    /// <returns>False at the end of the source (the stream closed between frames, or the folder is done).</returns>
    /// <exception cref="EndOfStreamException">The stream ended in the middle of a frame.</exception>
    /// <exception cref="InvalidDataException">The stream is not what the source expects (not JPEG, frame too large).</exception>
    public abstract ValueTask<bool> ReadAsync(CapturedFrame frame, CancellationToken cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
