using System.Globalization;
using System.Security.Cryptography;
using Edge.Agent.Ota.Slots;
using Edge.Protocol.Capture;

namespace Edge.Agent.Capture;

/// <summary>
/// Immutable snapshot files of the ring in <c>snapshots/</c> (mode 0700, files 0600), in the
/// <see cref="CaptureSnapshotFormat"/>. A snapshot stays until two newer ones exist, so a pull interrupted by a new
/// snapshot elsewhere can still resume; the ring itself keeps sampling meanwhile.
/// </summary>
internal sealed class CaptureSnapshots : IDisposable
{
    private const string Extension = ".snapshot";
    private const int Kept = 2;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, CaptureSnapshot> _known = new(StringComparer.Ordinal);

    public CaptureSnapshots(string folder)
    {
        Folder = folder;
        CaptureFiles.EnsureFolder(folder);
        foreach (var temporary in Directory.EnumerateFiles(folder, "*.tmp"))
        {
            File.Delete(temporary);
        }
    }

    public string Folder { get; }

    public void Dispose() => _gate.Dispose();

    /// <summary>Freezes the ring's current samples into a snapshot, or returns the existing one of the same content.</summary>
    public async Task<CaptureSnapshot> CreateAsync(CaptureRing ring, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var files = ring.Files();
            var id = string.Create(CultureInfo.InvariantCulture, $"snap-{(files.Count == 0 ? 0 : files[^1].Sequence)}-{files.Count}");
            if (await FindLockedAsync(id, cancellationToken) is { } existing)
            {
                return existing;
            }

            var path = PathOf(id);
            var temporary = DurableFiles.TemporaryFor(path);
            var models = new Dictionary<string, int>(StringComparer.Ordinal);
            var samples = 0;
            try
            {
                await using (var stream = CaptureFiles.OpenNew(temporary))
                {
                    await CaptureSnapshotFormat.WriteHeaderAsync(stream, cancellationToken);
                    foreach (var (_, file) in files)
                    {
                        byte[] record;
                        try
                        {
                            record = await File.ReadAllBytesAsync(file, cancellationToken);
                        }
                        catch (FileNotFoundException)
                        {
                            continue; // Deleted for the budget since the list was taken.
                        }

                        CaptureSample sample;
                        try
                        {
                            sample = CaptureSampleCodec.Decode(record);
                        }
                        catch (InvalidDataException)
                        {
                            continue; // Damaged on disk since start: left out here, removed and counted at the next start.
                        }

                        var key = $"{sample.Model}@{sample.Version}";
                        models[key] = models.GetValueOrDefault(key) + 1;
                        samples++;
                        await CaptureSnapshotFormat.WriteRecordAsync(stream, record, cancellationToken);
                    }

                    stream.Flush(flushToDisk: true);
                }

                File.Move(temporary, path, overwrite: true);
            }
            catch
            {
                File.Delete(temporary);
                throw;
            }

            var snapshot = await DescribeAsync(id, path, cancellationToken);
            _known[id] = snapshot with { Samples = samples, Models = models };
            Prune();
            return _known[id];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The snapshot named <paramref name="id"/>, or null when the device does not hold it (any more).</summary>
    public async Task<CaptureSnapshot?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await FindLockedAsync(id, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<CaptureSnapshot?> FindLockedAsync(string id, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(id, out var known))
        {
            return known;
        }

        // Snapshot ids are file names; anything else (a path, a dot) is simply not found.
        if (id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return null;
        }

        var path = PathOf(id);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var snapshot = await DescribeAsync(id, path, cancellationToken);
            await using var stream = File.OpenRead(path);
            var samples = CaptureSnapshotFormat.Read(stream).ToList();
            var models = samples.GroupBy(s => $"{s.Model}@{s.Version}", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            return _known[id] = snapshot with { Samples = samples.Count, Models = models };
        }
        catch (InvalidDataException)
        {
            File.Delete(path); // Damaged (a crash while it was renamed cannot do this; a disk fault can): not served.
            return null;
        }
    }

    private static async Task<CaptureSnapshot> DescribeAsync(string id, string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return new CaptureSnapshot(id, path, stream.Length, Convert.ToHexStringLower(hash), 0, new Dictionary<string, int>());
    }

    private void Prune()
    {
        var files = Directory.EnumerateFiles(Folder, "*" + Extension)
            .Select(p => (Path: p, Last: LastSequence(Path.GetFileNameWithoutExtension(p))))
            .OrderByDescending(f => f.Last)
            .ToList();
        foreach (var (path, _) in files.Skip(Kept))
        {
            File.Delete(path);
            _known.Remove(Path.GetFileNameWithoutExtension(path));
        }
    }

    private static long LastSequence(string id)
    {
        var parts = id.Split('-');
        return parts.Length == 3 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last) ? last : -1;
    }

    private string PathOf(string id) => Path.Combine(Folder, id + Extension);
}
