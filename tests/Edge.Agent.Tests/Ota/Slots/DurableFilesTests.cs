using Edge.Agent.Ota.Slots;

namespace Edge.Agent.Tests.Ota.Slots;

public sealed class DurableFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-ota-durable-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task WriteAtomicAsync_ExistingFile_ReplacedAndNoTemporaryLeft()
    {
        var path = Path.Combine(_folder, "active.json");
        await File.WriteAllTextAsync(path, "old");

        await DurableFiles.WriteAtomicAsync(path, "new"u8.ToArray(), CancellationToken.None);

        Assert.Equal("new", await File.ReadAllTextAsync(path));
        Assert.Equal(["active.json"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }
}
