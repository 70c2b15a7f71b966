using System.Text.Json;

namespace Edge.Fleet.Capture;

/// <summary>
/// The progress of one device's snapshot download, kept next to the output in <c>{output}.partial/</c>:
/// <c>{device}.json</c> (this record) and <c>{device}.snapshot</c> (the bytes so far, each chunk at its offset).
/// Rewritten atomically after every chunk, so an interrupted pull (Ctrl-C, kill) resumes with what it had.
/// </summary>
internal sealed record CapturePartial
{
    public required string SnapshotId { get; init; }

    public required string Sha256 { get; init; }

    public required long Size { get; init; }

    public required int ChunkSize { get; init; }

    /// <summary>Indexes of the chunks written and checked.</summary>
    public required SortedSet<int> Received { get; init; }

    public static string ProgressPath(string folder, string device) => Path.Combine(folder, device + ".json");

    public static string DataPath(string folder, string device) => Path.Combine(folder, device + ".snapshot");

    /// <summary>The saved progress of <paramref name="device"/>, or null when there is none (or it is unreadable, which restarts that device's download).</summary>
    public static CapturePartial? Load(string folder, string device)
    {
        var path = ProgressPath(folder, device);
        if (!File.Exists(path) || !File.Exists(DataPath(folder, device)))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), CapturePartialJsonContext.Default.CapturePartial);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async Task SaveAsync(string folder, string device, CancellationToken cancellationToken)
    {
        var path = ProgressPath(folder, device);
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(this, CapturePartialJsonContext.Default.CapturePartial), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}

