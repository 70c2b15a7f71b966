using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Protocol.Capture;

namespace Edge.Fleet.Capture;

/// <summary>
/// <c>edge-fleet capture pull</c>: per device, asks for a snapshot (the one an interrupted run was fetching, when the
/// device still holds it), downloads what is missing, then merges the samples of one model into an <c>.npz</c>.
/// Progress lives in <c>{output}.partial/</c> until the file is written. A device of a group that does not answer the
/// snapshot request, or has capture off and holds nothing, is left out (said so); a download that stops part-way fails the pull and keeps its
/// progress, so the same command resumes it.
/// </summary>
internal sealed class CapturePuller
{
    private readonly DeviceCommandClient _client;
    private readonly CaptureSnapshotFetcher _fetcher;
    private readonly TextWriter _log;

    public CapturePuller(DeviceCommandClient client, CaptureSnapshotFetcher fetcher, TextWriter log)
    {
        _client = client;
        _fetcher = fetcher;
        _log = log;
    }

    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public int ChunkSize { get; init; } = 256 * 1024;

    /// <summary>Pulls from every device and writes <paramref name="output"/>; returns the number of samples written.</summary>
    /// <exception cref="CaptureException">Nothing could be written, or a download stopped part-way (its progress is kept).</exception>
    public async Task<int> PullAsync(IReadOnlyList<string> devices, string output, string? model, CancellationToken cancellationToken)
    {
        var folder = output + ".partial";
        Directory.CreateDirectory(folder);
        try
        {
            return await PullIntoAsync(devices, output, folder, model, cancellationToken);
        }
        catch when (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder); // nothing to resume: leave no empty folder behind
            throw;
        }
    }

    private async Task<int> PullIntoAsync(IReadOnlyList<string> devices, string output, string folder, string? model, CancellationToken cancellationToken)
    {
        var samples = new List<(string Device, CaptureSample Sample)>();
        var skipped = new List<string>();
        foreach (var device in devices)
        {
            CaptureFetch fetch;
            try
            {
                fetch = await FetchDeviceAsync(device, folder, cancellationToken);
            }
            catch (Exception e) when (devices.Count > 1 && e is DeviceSilentException or CaptureOffException)
            {
                skipped.Add(device);
                await _log.WriteLineAsync($"edge-fleet: left out: {e.Message}");
                continue;
            }

            await _log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{device}: snapshot {fetch.SnapshotId}: {fetch.Samples} samples, {fetch.Size} bytes in {fetch.Chunks} chunks ({fetch.Fetched} fetched, {fetch.AlreadyHeld} already held)"));
            if (fetch.Samples == 0)
            {
                continue;
            }

            await using var stream = File.OpenRead(fetch.Path);
            samples.AddRange(CaptureSnapshotFormat.Read(stream).Where(s => Matches(s, model)).Select(s => (device, s)));
        }

        if (samples.Count == 0)
        {
            var filter = model is null ? "" : $" of model {model}";
            throw new CaptureException($"no captured samples{filter} on {devices.Count - skipped.Count} answering device(s) of {devices.Count}; nothing written.");
        }

        await CaptureDatasetWriter.WriteAsync(output, samples, cancellationToken);
        Directory.Delete(folder, recursive: true);
        return samples.Count;
    }

    private async Task<CaptureFetch> FetchDeviceAsync(string device, string folder, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var partial = CapturePartial.Load(folder, device);
            var arguments = partial is null ? new JsonObject() : new JsonObject { ["snapshotId"] = partial.SnapshotId };
            var result = await _client.RunAsync(device, "capture-snapshot", arguments, CommandTimeout, cancellationToken)
                ?? throw new CaptureException($"device {device} answered 'capture-snapshot' without a result.");

            var (id, sha, size, count) = ReadSnapshot(device, result);
            if (partial is not null && (partial.SnapshotId != id || partial.Sha256 != sha || partial.ChunkSize != ChunkSize))
            {
                await _log.WriteLineAsync($"edge-fleet: {device} no longer holds snapshot {partial.SnapshotId}; starting over with {id}");
                Discard(folder, device);
                partial = null;
            }

            if (count == 0 && (bool?)result["enabled"] != true)
            {
                throw new CaptureOffException($"capture is not enabled on device {device} and it holds no samples; enable it with 'edge-fleet capture enable {device}'.");
            }

            partial ??= new CapturePartial { SnapshotId = id, Sha256 = sha, Size = size, ChunkSize = ChunkSize, Received = [] };
            await partial.SaveAsync(folder, device, cancellationToken);
            try
            {
                var (fetched, held) = await _fetcher.FetchAsync(device, partial, folder, cancellationToken);
                var chunks = checked((int)((size + ChunkSize - 1) / ChunkSize));
                return new CaptureFetch(device, id, CapturePartial.DataPath(folder, device), count, size, chunks, fetched, held);
            }
            catch (SnapshotGoneException e) when (attempt == 0)
            {
                await _log.WriteLineAsync($"edge-fleet: {e.Message}; starting over");
                Discard(folder, device);
            }
        }
    }

    /// <summary>The snapshot a device described; an answer of the wrong shape is the device's fault, said in one line.</summary>
    private (string Id, string Sha, long Size, int Count) ReadSnapshot(string device, JsonNode result)
    {
        string id, sha;
        long size;
        int count;
        try
        {
            id = (string?)result["snapshotId"] ?? "";
            sha = (string?)result["sha256"] ?? "";
            size = (long?)result["size"] ?? -1;
            count = (int?)result["samples"] ?? -1;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new CaptureException($"device {device} answered 'capture-snapshot' with a malformed result: {e.Message}", e);
        }

        var maxSize = (long)int.MaxValue * ChunkSize;
        if (id.Length == 0 || size < 0 || size > maxSize || count < 0 || sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower))
        {
            throw new CaptureException(
                $"device {device} described snapshot '{id}' as {size} bytes, {count} samples, SHA-256 '{sha}'; expected an id, 0 to {maxSize} bytes, 0 or more samples and 64 lowercase hex digits.");
        }

        return (id, sha, size, count);
    }

    private static void Discard(string folder, string device)
    {
        File.Delete(CapturePartial.ProgressPath(folder, device));
        File.Delete(CapturePartial.DataPath(folder, device));
    }

    private static bool Matches(CaptureSample sample, string? model)
    {
        if (model is null)
        {
            return true;
        }

        var at = model.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? sample.Model == model : sample.Model == model[..at] && sample.Version == model[(at + 1)..];
    }
}
