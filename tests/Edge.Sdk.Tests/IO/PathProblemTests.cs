using Edge.Sdk.Inference;
using Edge.Sdk.IO;

namespace Edge.Sdk.Tests.IO;

public sealed class PathProblemTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("edge-path-problem-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void TellsMissingFromFolderFromFile()
    {
        var file = Path.Combine(_folder.FullName, "model.onnx");
        File.WriteAllBytes(file, [1]);
        var missing = Path.Combine(_folder.FullName, "missing.onnx");

        Assert.Equal("is a folder, not a file", PathProblem.ForFile(_folder.FullName));
        Assert.Equal("does not exist", PathProblem.ForFile(missing));
        Assert.Equal("is a file, not a folder", PathProblem.ForFolder(file));
        Assert.Equal("does not exist", PathProblem.ForFolder(missing));
    }

    [Fact]
    public void EdgeSessionLoad_OfAFolder_SaysItIsAFolder()
    {
        var error = Assert.Throws<ModelLoadException>(() => EdgeSession.Load(_folder.FullName));

        Assert.Contains($"Model file '{_folder.FullName}' is a folder, not a file.", error.Message, StringComparison.Ordinal);
    }
}
