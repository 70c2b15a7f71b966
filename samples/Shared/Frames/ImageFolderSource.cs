using Edge.Sdk.IO;

namespace Edge.Samples.Frames;

/// <summary>
/// Reads the image files of a folder (<c>.jpg</c>, <c>.jpeg</c>, <c>.png</c>, <c>.bmp</c>, <c>.webp</c>; any case) in
/// ordinal name order, once or in a loop. Used for testing without a camera and by the samples' simulated mode.
/// </summary>
public sealed class ImageFolderSource : FrameSource
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp", ".webp"];

    private readonly string[] _files;
    private readonly bool _loop;
    private long _index;

    /// <summary>Lists the folder's images now; later changes to the folder are not seen.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="ArgumentException">The folder holds no image files.</exception>
    public ImageFolderSource(string directory, bool loop = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Image folder '{directory}' {PathProblem.ForFolder(directory)}.");
        }

        _files = [.. Directory.EnumerateFiles(directory)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)];
        if (_files.Length == 0)
        {
            throw new ArgumentException($"Image folder '{directory}' holds no {string.Join('/', Extensions)} files.", nameof(directory));
        }

        _loop = loop;
        DirectoryPath = directory;
    }

    /// <summary>The folder read.</summary>
    public string DirectoryPath { get; }

    /// <summary>Number of images in one pass.</summary>
    public int Count => _files.Length;

    /// <inheritdoc />
    public override string Description => $"{_files.Length} images in {DirectoryPath}{(_loop ? " (looping)" : string.Empty)}";

    /// <inheritdoc />
    public override async ValueTask<bool> ReadAsync(CapturedFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!_loop && _index >= _files.Length)
        {
            return false;
        }

        var path = _files[_index % _files.Length];
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        if (file.Length > int.MaxValue)
        {
            throw new InvalidDataException($"Image '{path}' is {file.Length} bytes; at most {int.MaxValue} are supported.");
        }

        var length = (int)file.Length;
        var buffer = frame.Reserve(length);
        await file.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken);
        frame.SetEncoded(length, _index, Path.GetFileName(path));
        _index++;
        return true;
    }
}
