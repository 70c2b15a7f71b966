namespace Edge.Optimizer.Tests;

/// <summary>A fresh folder under the system temp folder, deleted with its contents on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder()
    {
        Path = Directory.CreateTempSubdirectory("edge-optimizer-tests-").FullName;
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
