using Edge.Onnx;

namespace Edge.Optimizer.Pipeline;

/// <summary>
/// A pass's private temporary folder for model copies that ONNX Runtime must load from disk (evaluation, latency,
/// calibration). Every pass uses this one type; disposing deletes the folder, and a folder that cannot be deleted
/// never fails a finished run.
/// </summary>
internal sealed class ScratchDirectory : IDisposable
{
    private readonly DirectoryInfo _directory;
    private int _count;

    /// <param name="pass">The pass name, used in the folder's name so a leftover folder says whose it is.</param>
    public ScratchDirectory(string pass)
    {
        _directory = Directory.CreateTempSubdirectory($"edge-{pass}-");
    }

    /// <summary>The folder's full path.</summary>
    public string FullName => _directory.FullName;

    /// <summary>A new, unused file path in the folder, <c>{stem}-{n}{extension}</c>.</summary>
    public string NewPath(string stem, string extension = ".onnx") =>
        Path.Combine(_directory.FullName, $"{stem}-{Interlocked.Increment(ref _count)}{extension}");

    /// <summary>Writes <paramref name="model"/> with every tensor inline and returns the path.</summary>
    public async Task<string> WriteAsync(OnnxModel model, string stem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var path = NewPath(stem);
        await using var stream = File.Create(path);
        await model.SaveAsync(stream, cancellationToken);
        return path;
    }

    public void Dispose()
    {
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // a temporary folder left behind must not fail a finished run
        }
        catch (UnauthorizedAccessException)
        {
            // as above
        }
    }
}
