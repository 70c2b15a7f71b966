using System.Buffers.Binary;
using System.Collections;
using System.Security.Cryptography;
using Edge.Agent.Ota.Slots;
using Microsoft.Win32.SafeHandles;

namespace Edge.Agent.Ota.Transfer;

/// <summary>
/// A package being downloaded: <c>{jobId}.part</c>, written at chunk offsets in any order, and <c>{jobId}.chunks</c>,
/// the set of chunks held. A checkpoint fsyncs the data first and only then replaces the chunk set atomically, so
/// after a kill the set never claims bytes that are not on disk; the worst case is re-fetching chunks received
/// since the last checkpoint.
/// </summary>
internal sealed class DownloadFile : IDisposable
{
    private const int Errno28DiskFull = 28;
    private readonly SafeFileHandle _handle;
    private readonly BitArray _held;
    private readonly string _mapPath;
    private bool _dirty;

    private DownloadFile(string partPath, string mapPath, long size, int chunkSize, BitArray held, SafeFileHandle handle)
    {
        PartPath = partPath;
        _mapPath = mapPath;
        Size = size;
        ChunkSize = chunkSize;
        _held = held;
        _handle = handle;
        ChunkCount = held.Length;
        for (var i = 0; i < held.Length; i++)
        {
            if (held[i])
            {
                HeldCount++;
                BytesHeld += ChunkLength(i);
            }
        }
    }

    public string PartPath { get; }

    public long Size { get; }

    public int ChunkSize { get; }

    public int ChunkCount { get; }

    public int HeldCount { get; private set; }

    public long BytesHeld { get; private set; }

    public bool IsComplete => HeldCount == ChunkCount;

    /// <summary>Opens or creates the download of <paramref name="jobId"/>; a chunk set written for another size or chunk size is discarded.</summary>
    public static DownloadFile Open(string folder, string jobId, long size, int chunkSize)
    {
        Directory.CreateDirectory(folder);
        var partPath = Path.Combine(folder, jobId + ".part");
        var mapPath = Path.Combine(folder, jobId + ".chunks");
        if (size <= 0 || chunkSize <= 0)
        {
            throw new ArgumentOutOfRangeException(size <= 0 ? nameof(size) : nameof(chunkSize), $"A download needs a positive size and chunk size; got {size} bytes in chunks of {chunkSize}.");
        }

        // Checked: both come from a job document; a count beyond int (or a sum beyond long) is refused, not wrapped.
        var count = checked((int)(((size - 1) / chunkSize) + 1));
        var held = ReadMap(mapPath, size, chunkSize, count) ?? new BitArray(count);
        var handle = File.OpenHandle(partPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            if (RandomAccess.GetLength(handle) != size)
            {
                RandomAccess.SetLength(handle, size);
            }

            return new DownloadFile(partPath, mapPath, size, chunkSize, held, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public static void Delete(string folder, string jobId)
    {
        File.Delete(Path.Combine(folder, jobId + ".part"));
        File.Delete(Path.Combine(folder, jobId + ".chunks"));
    }

    public int ChunkLength(int index) => (int)Math.Min(ChunkSize, checked(Size - ChunkOffset(index)));

    public long ChunkOffset(int index) => checked((long)index * ChunkSize);

    public bool Has(int index) => _held[index];

    /// <summary>Chunks not held yet, lowest first.</summary>
    public IEnumerable<int> Missing()
    {
        for (var i = 0; i < ChunkCount; i++)
        {
            if (!_held[i])
            {
                yield return i;
            }
        }
    }

    /// <summary>Writes a chunk at its offset; returns false (and writes nothing) when it is already held.</summary>
    /// <exception cref="OtaJobException">The disk is full.</exception>
    public async ValueTask<bool> WriteChunkAsync(int index, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_held[index])
        {
            return false;
        }

        try
        {
            await RandomAccess.WriteAsync(_handle, data, ChunkOffset(index), cancellationToken);
        }
        catch (IOException e) when ((e.HResult & 0xFFFF) == Errno28DiskFull || e.Message.Contains("No space left", StringComparison.Ordinal))
        {
            throw OtaJobException.Fail($"disk full while writing chunk {index} to '{PartPath}': {e.Message}", e);
        }

        _held[index] = true;
        HeldCount++;
        BytesHeld += data.Length;
        _dirty = true;
        return true;
    }

    /// <summary>Makes the chunks written so far durable: data fsync, then the chunk set by atomic rename.</summary>
    public async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            return;
        }

        RandomAccess.FlushToDisk(_handle);
        var bytes = new byte[MapLength(ChunkCount)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, Size);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), ChunkSize);
        _held.CopyTo(bytes, 12);
        await DurableFiles.WriteAtomicAsync(_mapPath, bytes, cancellationToken);
        _dirty = false;
    }

    public async Task<string> ComputeSha256Async(CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(PartPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1024 * 1024, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    public void Dispose() => _handle.Dispose();

    private static int MapLength(int chunkCount) => 12 + (chunkCount / 8) + (chunkCount % 8 == 0 ? 0 : 1);

    private static BitArray? ReadMap(string path, long size, int chunkSize, int count)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != MapLength(count)
            || BinaryPrimitives.ReadInt64LittleEndian(bytes) != size
            || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)) != chunkSize)
        {
            return null;
        }

        var held = new BitArray(bytes[12..]) { Length = count };
        return held;
    }
}
