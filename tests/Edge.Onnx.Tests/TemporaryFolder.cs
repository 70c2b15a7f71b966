namespace Edge.Onnx.Tests;

/// <summary>A fresh folder under the system temp folder, deleted with its contents on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder()
    {
        Path = Directory.CreateTempSubdirectory("edge-onnx-tests-").FullName;
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
