using System.Globalization;
using Edge.Protocol.Capture;

namespace Edge.Agent.Capture;

/// <summary>
/// The on-disk ring of captured samples: one file per sample, <c>{sequence:D16}.ecap</c> in <c>ring/</c> (mode 0700,
/// files 0600), each written crash-safely. Bounded by a count and a byte total: appending past either deletes the
/// oldest samples, counted in <see cref="DroppedForBudget"/>. At open, a torn or damaged sample file (and any
/// temporary file left by a crash) is removed and counted in <see cref="CorruptRemoved"/>; nothing there stops the agent.
/// </summary>
internal sealed class CaptureRing
{
    private const string Extension = ".ecap";
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, Entry> _entries = [];
    private long _bytes;
    private long _nextSequence = 1;
    private long _droppedForBudget;
    private long _corruptRemoved;

    private CaptureRing(string folder) => Folder = folder;

    public string Folder { get; }

    public long DroppedForBudget => Interlocked.Read(ref _droppedForBudget);

    public long CorruptRemoved => Interlocked.Read(ref _corruptRemoved);

    /// <summary>Opens (or creates) the ring in <paramref name="folder"/>, checking every sample file found there.</summary>
    public static CaptureRing Open(string folder)
    {
        CaptureFiles.EnsureFolder(folder);
        var ring = new CaptureRing(folder);
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(path);
            if (!name.EndsWith(Extension, StringComparison.Ordinal)
                || !long.TryParse(name.AsSpan(0, name.Length - Extension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                ring.RemoveDamaged(path);
                continue;
            }

            try
            {
                var bytes = File.ReadAllBytes(path);
                var sample = CaptureSampleCodec.Decode(bytes);
                ring._entries[sequence] = new Entry(path, bytes.Length, ModelKey(sample));
                ring._bytes += bytes.Length;
                ring._nextSequence = Math.Max(ring._nextSequence, sequence + 1);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                ring.RemoveDamaged(path);
            }
        }

        return ring;
    }

    /// <summary>Samples, bytes and per-model counts now.</summary>
    public (int Samples, long Bytes, IReadOnlyDictionary<string, int> Models) Totals()
    {
        lock (_lock)
        {
            var models = _entries.Values.GroupBy(e => e.Model, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            return (_entries.Count, _bytes, models);
        }
    }

    /// <summary>The sample files, oldest first.</summary>
    public IReadOnlyList<(long Sequence, string Path)> Files()
    {
        lock (_lock)
        {
            return [.. _entries.Select(e => (e.Key, e.Value.Path))];
        }
    }

    /// <summary>The sequence the next sample gets.</summary>
    public long NextSequence()
    {
        lock (_lock)
        {
            return _nextSequence++;
        }
    }

    /// <summary>Writes one sample, then deletes the oldest samples past the bounds (a sample larger than <paramref name="maxBytes"/> alone is not kept).</summary>
    public async Task AppendAsync(CaptureSample sample, int maxSamples, long maxBytes, CancellationToken cancellationToken)
    {
        var record = CaptureSampleCodec.Encode(sample);
        if (record.Length > maxBytes)
        {
            Interlocked.Increment(ref _droppedForBudget);
            return;
        }

        var path = Path.Combine(Folder, sample.Sequence.ToString("D16", CultureInfo.InvariantCulture) + Extension);
        await CaptureFiles.WriteAtomicAsync(path, record, cancellationToken);
        lock (_lock)
        {
            _entries[sample.Sequence] = new Entry(path, record.Length, ModelKey(sample));
            _bytes += record.Length;
        }

        Trim(maxSamples, maxBytes);
    }

    /// <summary>Deletes the oldest samples until both bounds hold; each one counts in <see cref="DroppedForBudget"/>.</summary>
    public void Trim(int maxSamples, long maxBytes)
    {
        while (true)
        {
            Entry oldest;
            lock (_lock)
            {
                if (_entries.Count == 0 || (_entries.Count <= maxSamples && _bytes <= maxBytes))
                {
                    return;
                }

                var first = _entries.First();
                oldest = first.Value;
                _entries.Remove(first.Key);
                _bytes -= oldest.Bytes;
            }

            File.Delete(oldest.Path);
            Interlocked.Increment(ref _droppedForBudget);
        }
    }

    private static string ModelKey(CaptureSample sample) => $"{sample.Model}@{sample.Version}";

    private void RemoveDamaged(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in place; it is checked (and counted) again at the next start.
        }

        Interlocked.Increment(ref _corruptRemoved);
    }

    private sealed record Entry(string Path, long Bytes, string Model);
}
