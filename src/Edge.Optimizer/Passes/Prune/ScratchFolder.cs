using Edge.Onnx;

namespace Edge.Optimizer.Passes.Prune;

/// <summary>A temporary folder for model copies the SDK loads from disk (evaluation, latency); deleted on dispose.</summary>
internal sealed class ScratchFolder : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("edge-prune-");
    private int count;

    /// <summary>Writes <paramref name="model"/> with every tensor inline and returns the path.</summary>
    public async Task<string> WriteAsync(OnnxModel model, string stem, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory.FullName, $"{stem}-{count++}.onnx");
        await using var stream = File.Create(path);
        await model.SaveAsync(stream, cancellationToken);
        return path;
    }

    public void Dispose() => directory.Delete(recursive: true);
}
