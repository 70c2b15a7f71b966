using Edge.Agent.Ota.Transfer;

namespace Edge.Agent.Tests.Ota.Transfer;

public sealed class DownloadFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-ota-download-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Open_AfterCheckpoint_ResumesWithTheHeldChunksOnly()
    {
        var data = Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7)).ToArray();
        using (var file = DownloadFile.Open(_folder, "job-1", data.Length, 4096))
        {
            Assert.Equal(3, file.ChunkCount);
            Assert.True(await file.WriteChunkAsync(2, data.AsMemory(8192), CancellationToken.None));
            await file.CheckpointAsync(CancellationToken.None);
            Assert.True(await file.WriteChunkAsync(0, data.AsMemory(0, 4096), CancellationToken.None));

            // No checkpoint after chunk 0: a kill now must not count it as held.
        }

        using var resumed = DownloadFile.Open(_folder, "job-1", data.Length, 4096);
        Assert.Equal([0, 1], resumed.Missing());
        Assert.Equal(10_000 - 8192, resumed.BytesHeld);
        Assert.False(await resumed.WriteChunkAsync(2, data.AsMemory(8192), CancellationToken.None));
        await resumed.WriteChunkAsync(1, data.AsMemory(4096, 4096), CancellationToken.None);
        await resumed.WriteChunkAsync(0, data.AsMemory(0, 4096), CancellationToken.None);
        Assert.True(resumed.IsComplete);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)), await resumed.ComputeSha256Async(CancellationToken.None));
    }

    [Fact]
    public async Task Open_ChunkSizeChanged_StartsOver()
    {
        using (var file = DownloadFile.Open(_folder, "job-2", 10_000, 4096))
        {
            await file.WriteChunkAsync(0, new byte[4096], CancellationToken.None);
            await file.CheckpointAsync(CancellationToken.None);
        }

        using var other = DownloadFile.Open(_folder, "job-2", 10_000, 8192);

        Assert.Equal(0, other.HeldCount);
    }
}
