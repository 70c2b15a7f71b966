using System.IO.Compression;
using System.Text.Json.Nodes;
using Edge.Protocol.Capture;

namespace Edge.Fleet.Capture;

/// <summary>
/// Merges captured samples of one model into a NumPy <c>.npz</c> that <c>edge-optimize</c> reads as
/// <c>npy:data.npz</c>: <c>{input}.npy</c> with the inputs (first axis = samples: a call's leading batch axis becomes
/// that many rows, as the optimizer adds a batch axis of 1 to each row), <c>output.{output}.npy</c> with
/// the outputs the devices served, <c>raw/{sample}.{ext}</c> with each raw frame a device kept (the entry's extension
/// from its media type; NumPy's <c>np.load</c> returns such an entry as bytes), and <c>capture.json</c> with each
/// sample's device, model version, sequence, time, rows and raw frame. There is no <c>labels</c> array: field data has
/// no ground truth. Entries carry a fixed time, so the same samples give the same bytes.
/// </summary>
internal static class CaptureDatasetWriter
{
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Checks that the samples can form one dataset: one model (unless filtered), one input and output name, element type and shape.</summary>
    /// <returns>Nothing; every problem is in the exception's one line.</returns>
    /// <exception cref="CaptureException">No samples, several models, or samples whose tensors differ.</exception>
    public static void Check(IReadOnlyList<(string Device, CaptureSample Sample)> samples)
    {
        if (samples.Count == 0)
        {
            throw new CaptureException("no captured samples to write: the devices hold none (is capture enabled, and has the app run inference since?).");
        }

        var models = samples.GroupBy(s => s.Sample.Model, StringComparer.Ordinal).ToList();
        if (models.Count > 1)
        {
            throw new CaptureException(
                $"the samples come from several models ({string.Join(", ", models.Select(m => $"{m.Key}: {m.Count()}"))}); choose one with --model NAME[@VERSION].");
        }

        var layouts = samples.GroupBy(s => Layout(s.Sample), StringComparer.Ordinal).ToList();
        if (layouts.Count > 1)
        {
            var described = layouts.Select(l => $"{l.Key}: {l.Count()} from {string.Join(",", l.Select(s => s.Device).Distinct())}");
            throw new CaptureException(
                $"the samples of model {models[0].Key} have different tensors ({string.Join("; ", described)}); choose one version with --model NAME@VERSION.");
        }

        foreach (var tensor in new[] { samples[0].Sample.Input, samples[0].Sample.Output })
        {
            if (NpyArrayWriter.Descr(tensor.ElementType) is null)
            {
                throw new CaptureException($"'{tensor.Name}' is {tensor.ElementType}, which NumPy has no type for; it cannot go into an .npz.");
            }
        }
    }

    /// <summary>Writes the dataset to <paramref name="path"/> (through a temporary file renamed at the end).</summary>
    public static async Task WriteAsync(string path, IReadOnlyList<(string Device, CaptureSample Sample)> samples, CancellationToken cancellationToken)
    {
        Check(samples);
        var temporary = path + ".tmp";
        await using (var file = File.Create(temporary))
        using (var archive = new ZipArchive(file, ZipArchiveMode.Create))
        {
            var first = samples[0].Sample;
            Write(archive, first.Input.Name + ".npy", first.Input, samples.Select(s => s.Sample.Input));
            // Outputs share the inputs' first axis only when each call has as many output rows as input rows;
            // otherwise NpyDataset would see arrays that disagree on the sample count, so they are left out (said so).
            var outputsAligned = samples.All(s => Rows(s.Sample.Output) == Rows(s.Sample.Input));
            if (outputsAligned)
            {
                Write(archive, "output." + first.Output.Name + ".npy", first.Output, samples.Select(s => s.Sample.Output));
            }

            var rawFrames = new Dictionary<int, string>();
            for (var i = 0; i < samples.Count; i++)
            {
                if (samples[i].Sample.RawFrame is { } frame)
                {
                    rawFrames[i] = $"raw/{i:D6}{Extension(frame.MediaType)}";
                    await WriteEntryAsync(archive, rawFrames[i], frame.Data, CompressionLevel.NoCompression, cancellationToken);
                }
            }

            var provenance = new JsonObject
            {
                ["schema"] = "edge.capture-dataset/1",
                ["model"] = first.Model,
                ["input"] = first.Input.Name,
                ["output"] = first.Output.Name,
                ["outputsIncluded"] = outputsAligned,
                ["rawFrames"] = rawFrames.Count,
                ["samples"] = new JsonArray([.. samples.Select((s, i) => (JsonNode)Provenance(s.Device, s.Sample, rawFrames.GetValueOrDefault(i)))]),
            };
            await WriteEntryAsync(archive, "capture.json", System.Text.Encoding.UTF8.GetBytes(provenance.ToJsonString()), CompressionLevel.Fastest, cancellationToken);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>An entry with the fixed time, so the same samples give the same bytes.</summary>
    private static ZipArchiveEntry NewEntry(ZipArchive archive, string name, CompressionLevel level)
    {
        var entry = archive.CreateEntry(name, level);
        entry.LastWriteTime = EntryTime;
        return entry;
    }

    private static async Task WriteEntryAsync(ZipArchive archive, string name, byte[] content, CompressionLevel level, CancellationToken cancellationToken)
    {
        await using var stream = NewEntry(archive, name, level).Open();
        await stream.WriteAsync(content, cancellationToken);
    }

    private static JsonObject Provenance(string device, CaptureSample sample, string? rawFrame)
    {
        var entry = new JsonObject
        {
            ["device"] = device,
            ["version"] = sample.Version,
            ["sequence"] = sample.Sequence,
            ["rows"] = Rows(sample.Input),
            ["capturedAt"] = sample.CapturedAt,
        };
        if (rawFrame is not null)
        {
            entry["rawFrame"] = rawFrame;
            entry["rawMediaType"] = sample.RawFrame!.MediaType;
        }

        return entry;
    }

    /// <summary>A file extension for a raw frame's media type: the common image types by name, anything else .bin.</summary>
    internal static string Extension(string mediaType) => mediaType.ToLowerInvariant() switch
    {
        "image/jpeg" or "image/jpg" => ".jpg",
        "image/png" => ".png",
        "image/bmp" => ".bmp",
        "image/webp" => ".webp",
        "image/gif" => ".gif",
        "image/tiff" => ".tif",
        "audio/wav" or "audio/x-wav" or "audio/wave" => ".wav",
        "application/json" => ".json",
        "text/csv" => ".csv",
        _ => ".bin",
    };

    private static void Write(ZipArchive archive, string name, CaptureTensor first, IEnumerable<CaptureTensor> tensors)
    {
        var all = tensors.ToList();
        using var stream = NewEntry(archive, name, CompressionLevel.Fastest).Open();
        NpyArrayWriter.WriteHeader(stream, NpyArrayWriter.Descr(first.ElementType)!, [all.Sum(t => Rows(t)), .. first.Shape.Skip(1)]);
        foreach (var tensor in all)
        {
            stream.Write(tensor.Data);
        }
    }

    /// <summary>Rows a call contributes: its leading (batch) axis; a scalar is one row.</summary>
    private static long Rows(CaptureTensor tensor) => tensor.Shape.Count == 0 ? 1 : tensor.Shape[0];

    /// <summary>Name, type and shape of one row; calls with different batch sizes still merge.</summary>
    private static string Layout(CaptureSample sample) => $"{RowLayout(sample.Input)} -> {RowLayout(sample.Output)}";

    private static string RowLayout(CaptureTensor tensor) => $"{tensor.Name} {tensor.ElementType}[Nx{string.Join("x", tensor.Shape.Skip(1))}]";
}
