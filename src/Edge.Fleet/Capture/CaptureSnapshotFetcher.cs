using System.Buffers;
using System.Security.Cryptography;
using Edge.Protocol.Capture;

namespace Edge.Fleet.Capture;

/// <summary>
/// Downloads one device's snapshot by chunks into the partial folder: keeps up to <see cref="Window"/> chunks asked
/// for, checks each frame's SHA-256, writes it at its offset and records it, asks again for chunks not answered within
/// <see cref="ChunkTimeout"/>, and checks the whole file's SHA-256 at the end. Chunks already held from an
/// interrupted run are not asked for again.
/// </summary>
internal sealed class CaptureSnapshotFetcher
{
    private const int IndexesPerRequest = 16;
    private readonly DeviceCommandClient _client;
    private readonly TimeProvider _time;

    public CaptureSnapshotFetcher(DeviceCommandClient client, TimeProvider time)
    {
        _client = client;
        _time = time;
    }

    public int Window { get; init; } = 32;

    public TimeSpan ChunkTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Called after each chunk is written and recorded, with the number held so far (tests interrupt a pull here).</summary>
    internal Action<int>? ChunkStored { get; init; }

    /// <summary>Timeouts in a row, without any chunk arriving, after which the device counts as offline.</summary>
    public int MaxSilentRounds { get; init; } = 3;

    /// <exception cref="CaptureException">The device went silent, its data budget is spent, or the file does not match its SHA-256.</exception>
    /// <exception cref="SnapshotGoneException">The device no longer holds the snapshot.</exception>
    public async Task<(int Fetched, int AlreadyHeld)> FetchAsync(string device, CapturePartial partial, string folder, CancellationToken cancellationToken)
    {
        var chunks = checked((int)((partial.Size + partial.ChunkSize - 1) / partial.ChunkSize));
        var held = partial.Received.Count;
        var dataPath = CapturePartial.DataPath(folder, device);
        var fetched = 0;
        using (var file = File.OpenHandle(dataPath, FileMode.OpenOrCreate, FileAccess.ReadWrite))
        {
            var missing = new SortedSet<int>(Enumerable.Range(0, chunks).Where(i => !partial.Received.Contains(i)));
            var inFlight = new HashSet<int>();
            var silentRounds = 0;
            var frames = _client.Chunks(device);
            while (missing.Count > 0)
            {
                var ask = missing.Where(i => !inFlight.Contains(i)).Take(Window - inFlight.Count).ToList();
                foreach (var batch in ask.Chunk(IndexesPerRequest))
                {
                    inFlight.UnionWith(batch);
                    var request = new OtaChunkRequest { JobId = partial.SnapshotId, PackageSha256 = partial.Sha256, ChunkSize = partial.ChunkSize, Chunks = batch };
                    await _client.RequestChunksAsync(device, request, cancellationToken);
                }

                byte[] payload;
                using (var timer = new CancellationTokenSource(ChunkTimeout, _time))
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token))
                {
                    try
                    {
                        payload = await frames.ReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        if (++silentRounds >= MaxSilentRounds)
                        {
                            var progress = $"{partial.Received.Count} of {chunks} chunks held, kept in {folder}";
                            throw new CaptureException($"device {device} stopped answering chunk requests ({progress}): it went offline; run the same command again to resume.");
                        }

                        inFlight.Clear(); // ask again for everything unanswered
                        continue;
                    }
                }

                OtaChunkHeader header;
                ReadOnlySequence<byte> data;
                try
                {
                    header = OtaChunkFrame.Decode(new ReadOnlySequence<byte>(payload), out data);
                }
                catch (InvalidDataException)
                {
                    continue; // damaged in transit: asked again after the timeout
                }

                if (header.JobId != partial.SnapshotId)
                {
                    continue; // an answer to an earlier run's request
                }

                if (header.Error is { } error)
                {
                    throw Refused(device, error, partial, chunks, folder);
                }

                if (header.Index < 0 || header.Index >= chunks || header.Offset != (long)header.Index * partial.ChunkSize || !missing.Contains(header.Index))
                {
                    continue; // a duplicate, or not a chunk of this file
                }

                RandomAccess.Write(file, data.ToArray(), header.Offset);
                missing.Remove(header.Index);
                inFlight.Remove(header.Index);
                partial.Received.Add(header.Index);
                fetched++;
                silentRounds = 0;
                await partial.SaveAsync(folder, device, cancellationToken);
                ChunkStored?.Invoke(partial.Received.Count);
            }

            RandomAccess.SetLength(file, partial.Size);
        }

        await using (var stream = File.OpenRead(dataPath))
        {
            var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            if (actual != partial.Sha256)
            {
                File.Delete(dataPath);
                File.Delete(CapturePartial.ProgressPath(folder, device));
                var mismatch = $"the downloaded snapshot {partial.SnapshotId} has SHA-256 {actual}, the device said {partial.Sha256}";
                throw new CaptureException($"device {device}: {mismatch}; the partial download was discarded, run the command again.");
            }
        }

        return (fetched, held);
    }

    private static FleetException Refused(string device, string error, CapturePartial partial, int chunks, string folder) => error switch
    {
        CaptureChunkErrors.OverBudget => new CaptureException(
            $"device {device}: its daily data budget (Ota:DailyDataBudgetBytes) is spent after {partial.Received.Count} of {chunks} chunks; "
            + $"the progress is kept in {folder}: run the same command after UTC midnight to resume."),
        OtaChunkErrors.UnknownJob => new SnapshotGoneException(device, partial.SnapshotId),
        _ => new CaptureException($"device {device} refused chunks of snapshot {partial.SnapshotId}: {error}."),
    };
}
