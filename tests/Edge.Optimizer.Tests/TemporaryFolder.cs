namespace Edge.Optimizer.Tests;

/// <summary>A fresh folder under the system temp folder, deleted with its contents on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder()
    {
        Path = Directory.CreateTempSubdirectory("edge-optimizer-tests-").FullName;
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="text"/> to a file in this folder and returns its full path.</summary>
    public string WriteText(string fileName, string text)
    {
        var file = System.IO.Path.Combine(Path, fileName);
        File.WriteAllText(file, text);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
